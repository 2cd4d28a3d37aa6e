using System.Text.Json.Serialization;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Campaigns.CreateCampaign;

/// <summary>The JSON body of <c>POST /campaigns</c>.</summary>
public sealed class CreateCampaignRequest
{
    /// <summary>1 to 200 characters; the template's <c>campaign.name</c>.</summary>
    public string? Name { get; set; }

    /// <summary>The template to send.</summary>
    public long? TemplateId { get; set; }

    /// <summary>1 to 50 lists; their subscribed addresses receive it, each address once.</summary>
    public long[]? ListIds { get; set; }

    /// <summary>The sender: an address and an optional display name.</summary>
    public SenderRequest? From { get; set; }

    /// <summary>The template's <c>message</c>: up to 10,000 characters (absent: empty).</summary>
    public string? Message { get; set; }

    /// <summary>Replaces the template's subject (a Liquid template like it): 1 to 998 characters, one line.</summary>
    public string? Subject { get; set; }

    /// <summary>When to send (ISO-8601 with an offset); absent, now or earlier: at once. At most one year ahead.</summary>
    [JsonConverter(typeof(OffsetRequiredDateTimeConverter))]
    public DateTimeOffset? SendAt { get; set; }

    public Campaign ToCampaign(DateTimeOffset now, string createdBy) => new()
    {
        Name = Name!,
        TemplateId = TemplateId!.Value,
        ListIds = ListIds!.Distinct().ToArray(),
        FromEmail = From!.Email!.Trim(),
        FromName = string.IsNullOrWhiteSpace(From.Name) ? null : From.Name,
        Message = Message ?? "",
        Subject = Subject,
        SendAt = (SendAt is { } at && at > now ? at.ToUniversalTime() : now).TruncateToMicroseconds(),
        Status = CampaignStatus.Scheduled,
        CreatedAt = now.TruncateToMicroseconds(),
        CreatedBy = createdBy,
    };
}

/// <summary>A campaign's sender.</summary>
public sealed class SenderRequest
{
    /// <summary>An RFC 5322 address, such as news@example.com.</summary>
    public string? Email { get; set; }

    /// <summary>Up to 200 characters, shown by mail readers instead of the address.</summary>
    public string? Name { get; set; }
}
