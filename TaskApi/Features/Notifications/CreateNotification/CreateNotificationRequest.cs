using System.Text.Json;
using System.Text.Json.Serialization;
using FastEndpoints;
using TaskApi.Features.Tasks.CreateTask;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Notifications.CreateNotification;

/// <summary>The JSON body of <c>POST /notifications</c> and its Idempotency-Key.</summary>
public sealed class CreateNotificationRequest
{
    /// <summary>The users to notify, by their ids (as PUT /users/{userId} takes them): 1 to 10,000, each once. An unknown id gets skipped deliveries (no_address).</summary>
    public string?[]? UserIds { get; set; }

    /// <summary>1 to 3 distinct channels: email, sms, inApp. Each user gets one delivery per channel.</summary>
    public string?[]? Channels { get; set; }

    /// <summary>The email's subject and the in-app title: 1 to 200 characters, one line. Not with templateId (the template's subject is the title).</summary>
    public string? Title { get; set; }

    /// <summary>The SMS, the in-app body and the email's text part: 1 to 10,000 characters.</summary>
    public string? Text { get; set; }

    /// <summary>The email's HTML part, at most 512 KiB (UTF-8); absent: a text-only email. Not with templateId (the template's HTML is used).</summary>
    public string? Html { get; set; }

    /// <summary>An email template (POST /templates) whose subject and HTML become the title and HTML, copied now.</summary>
    public long? TemplateId { get; set; }

    /// <summary>A JSON object of your own (at most 64 KiB) kept with the notification, for templates and the in-app feed.</summary>
    public JsonElement? Data { get; set; }

    /// <summary>true: sent ahead of any backlog on queues of its own, without quiet hours or burst spreading (default false).</summary>
    public bool? Express { get; set; }

    /// <summary>Not before this (ISO-8601 with an offset, 2000-01-01 to 2999-12-31); absent or past: at once.</summary>
    [JsonConverter(typeof(OffsetRequiredDateTimeConverter))]
    public DateTimeOffset? SendAt { get; set; }

    /// <summary>
    /// Optional key (1 to 200 visible ASCII characters): repeating the POST with it answers the notification the first
    /// POST created (200) instead of creating another. Keys are each caller's own. Never read from the JSON body.
    /// </summary>
    [FromHeader(CreateTaskRequest.IdempotencyKeyHeader, isRequired: false)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenReading)]
    public string? IdempotencyKey { get; set; }

    /// <summary>The notification this valid request of <paramref name="createdBy"/> makes, with its <paramref name="content"/>.</summary>
    public Notification ToNotification(DateTimeOffset now, string createdBy, NotificationContent content)
    {
        var sendAt = SendAt?.ToUniversalTime().TruncateToMicroseconds();
        return new Notification
        {
            CreatedBy = createdBy,
            IdempotencyKey = IdempotencyKey,
            Title = content.Title,
            Text = Text!,
            Html = content.Html,
            TemplateId = TemplateId,
            Data = Data is { ValueKind: not JsonValueKind.Null } data ? data.GetRawText() : null,
            Channels = Channels!.Select(channel => NotificationChannels.StoredName(channel!)).ToArray(),
            Express = Express ?? false,
            SendAt = sendAt,
            Status = sendAt > now ? NotificationStatus.Scheduled : NotificationStatus.Sending,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }
}
