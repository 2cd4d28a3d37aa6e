using System.Text.Json.Serialization;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Mailings.CreateMailing;

/// <summary>The JSON body of <c>POST /mailings</c>.</summary>
public sealed class CreateMailingRequest
{
    /// <summary>The SMS text: 1 to 1,000 characters.</summary>
    public string? Text { get; set; }

    /// <summary>Messages go out from this instant (ISO-8601 with an offset); now or earlier: at once. At most one year ahead.</summary>
    [JsonConverter(typeof(OffsetRequiredDateTimeConverter))]
    public DateTimeOffset? StartAt { get; set; }

    /// <summary>No message goes out at or after this instant (ISO-8601 with an offset); after startAt and after now.</summary>
    [JsonConverter(typeof(OffsetRequiredDateTimeConverter))]
    public DateTimeOffset? EndAt { get; set; }

    /// <summary>Which clients: absent, every client.</summary>
    public MailingFilterRequest? Filter { get; set; }

    /// <summary>The local time of day messages may go out in each client's time zone; absent: any time.</summary>
    public SendWindowRequest? SendWindow { get; set; }

    public Mailing ToMailing(DateTimeOffset now, string createdBy) => new()
    {
        Text = Text!,
        // PostgreSQL stores instants; Npgsql writes them only in UTC.
        StartAt = StartAt!.Value.ToUniversalTime().TruncateToMicroseconds(),
        EndAt = EndAt!.Value.ToUniversalTime().TruncateToMicroseconds(),
        OperatorCodes = Filter?.DistinctOperatorCodes() ?? [],
        Tags = Filter?.DistinctTags() ?? [],
        SendWindow = SendWindow?.ToSendWindow(),
        Status = MailingStatus.Scheduled,
        CreatedAt = now.TruncateToMicroseconds(),
        CreatedBy = createdBy,
    };
}
