namespace TaskApi.Features.Lists.ImportSubscribers;

/// <summary>What an import did.</summary>
/// <param name="Created">Rows whose address was new to the list: subscribers created, subscribed.</param>
/// <param name="Updated">Rows whose address the list had: that subscriber's name and fields replaced, its status kept (an unsubscribed address stays unsubscribed).</param>
public sealed record ImportSubscribersResponse(int Created, int Updated);
