using FastEndpoints;

namespace TaskApi.Features.Feed;

/// <summary>
/// The <c>/me/notifications</c> routes: an end user's own in-app feed, opened by the user's token of the product's
/// issuer (<see cref="UserTokens"/>), never by an operator's or an app's.
/// </summary>
public sealed class FeedGroup : Group
{
    // Tagged Feed rather than by the route's first segment ("Me"), which would list each operation twice.
    public FeedGroup() => Configure("me/notifications", endpoint =>
    {
        endpoint.DontAutoTag();
        endpoint.Description(description => description.WithTags("Feed"));
    });
}
