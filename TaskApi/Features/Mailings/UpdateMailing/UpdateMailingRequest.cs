using System.Text.Json.Serialization;
using FastEndpoints;
using FluentValidation;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Mailings.UpdateMailing;

/// <summary>The route and JSON body of <c>PATCH /mailings/{id}</c>: the fields to change; absent ones stay as they are.</summary>
public sealed class UpdateMailingRequest
{
    /// <summary>The mailing's id.</summary>
    public long Id { get; set; }

    /// <summary>The SMS text: 1 to 1,000 characters (only while scheduled).</summary>
    public string? Text { get; set; }

    /// <summary>A new start (ISO-8601 with an offset; only while scheduled).</summary>
    [JsonConverter(typeof(OffsetRequiredDateTimeConverter))]
    public DateTimeOffset? StartAt { get; set; }

    /// <summary>A new end (ISO-8601 with an offset, in the future and after the start; also while running).</summary>
    [JsonConverter(typeof(OffsetRequiredDateTimeConverter))]
    public DateTimeOffset? EndAt { get; set; }

    /// <summary>A new filter, replacing the old one (only while scheduled).</summary>
    public MailingFilterRequest? Filter { get; set; }

    /// <summary>A new send window (only while scheduled).</summary>
    public SendWindowRequest? SendWindow { get; set; }

    /// <summary>The JSON names of the fields given that only a scheduled mailing may change.</summary>
    public IEnumerable<string> ScheduledOnlyFields()
    {
        if (Text is not null) yield return "text";
        if (StartAt is not null) yield return "startAt";
        if (Filter is not null) yield return "filter";
        if (SendWindow is not null) yield return "sendWindow";
    }
}

public sealed class UpdateMailingValidator : Validator<UpdateMailingRequest>
{
    public UpdateMailingValidator(TimeProvider clock)
    {
        RuleFor(m => m.Text).SmsText().When(m => m.Text is not null);
        RuleFor(m => m.StartAt).WithinLeadTime(clock);
        RuleFor(m => m.EndAt).Must(end => end > clock.GetUtcNow()).WithMessage("'{PropertyName}' must be in the future.").When(m => m.EndAt is not null);
        RuleFor(m => m.Filter!).SetValidator(new MailingFilterValidator()).When(m => m.Filter is not null);
        RuleFor(m => m.SendWindow!).SetValidator(new SendWindowValidator()).When(m => m.SendWindow is not null);
    }
}
