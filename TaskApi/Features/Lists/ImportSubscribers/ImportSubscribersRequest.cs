using System.Text.Json;
using FastEndpoints;
using FluentValidation;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Lists.ImportSubscribers;

/// <summary><c>POST /lists/{id}/subscribers</c>: the list's id from the route and the subscribers, a JSON array, as the body.</summary>
public sealed class ImportSubscribersRequest
{
    /// <summary>The list's id (an integer).</summary>
    public long Id { get; set; }

    /// <summary>1 to 10,000 subscribers.</summary>
    [FromBody]
    public List<SubscriberRequest?>? Subscribers { get; set; }
}

/// <summary>Every row by <see cref="SubscriberRules"/>; an address given again (compared as stored, so case-insensitively) is named by its first row.</summary>
public sealed class ImportSubscribersValidator : Validator<ImportSubscribersRequest>
{
    public const int MaxSubscribers = 10_000;

    /// <summary>Room for 10,000 rows of about 1.6 KiB each: an address, a name and a handful of fields are a few hundred bytes.</summary>
    public const int MaxRequestBytes = 16 * 1024 * 1024;

    private static readonly ImportRules<SubscriberRequest> Rules = new(MaxSubscribers, "subscriber", new SubscriberRules(),
        // As the rules name it (Extensions.cs camel-cases validation names like JSON).
        JsonNamingPolicy.CamelCase.ConvertName(nameof(SubscriberRequest.Email)),
        row => EmailAddresses.Normalized(row.Email));

    public ImportSubscribersValidator() => RuleFor(request => request.Subscribers).Custom(Rules.Check);
}
