using System.Globalization;
using FastEndpoints;
using FluentValidation;
using TaskApi.Features.Clients;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Mailings;

/// <summary>Which clients a mailing is for, in a request.</summary>
public sealed class MailingFilterRequest
{
    /// <summary>Clients whose operator code (3 digits) is one of these; empty or absent: any operator. At most 100.</summary>
    public string[]? OperatorCodes { get; set; }

    /// <summary>Clients whose tag is one of these (each 0 to 64 characters); empty or absent: any tag. At most 100.</summary>
    public string[]? Tags { get; set; }

    /// <summary>The operator codes as a mailing stores them: each once; empty for any.</summary>
    public string[] DistinctOperatorCodes() => OperatorCodes?.Distinct().ToArray() ?? [];

    /// <summary>The tags as a mailing stores them: each once; empty for any.</summary>
    public string[] DistinctTags() => Tags?.Distinct().ToArray() ?? [];
}

/// <summary>The local time of day messages may go out, in each client's time zone.</summary>
public sealed class SendWindowRequest
{
    /// <summary>Opens at this local time, "HH:mm".</summary>
    public string? From { get; set; }

    /// <summary>Closes at this local time, "HH:mm"; earlier than from: the window spans midnight.</summary>
    public string? To { get; set; }

    public SendWindow ToSendWindow() => new(Parse(From!), Parse(To!));

    public static bool IsTimeOfDay(string? text) => text is { Length: 5 } && TimeOnly.TryParseExact(text, SendWindowResponse.Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static TimeOnly Parse(string text) => TimeOnly.ParseExact(text, SendWindowResponse.Format, CultureInfo.InvariantCulture);
}

/// <summary>The rules every mailing request shares (create and change).</summary>
public static class MailingRules
{
    public const int MaxFilterValues = 100;
    public static readonly TimeSpan MaxLeadTime = TimeSpan.FromDays(365);

    /// <summary>1 to 1,000 characters of storable text (line breaks are fine in an SMS).</summary>
    public static IRuleBuilderOptions<T, string?> SmsText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(MailingConfiguration.MaxTextLength)
            .NotEmpty()
            .Must(text => text is null || TextRules.IsStorable(text)).WithMessage("'{PropertyName}' must not contain NUL or invalid Unicode.");

    public static IRuleBuilderOptions<T, DateTimeOffset?> WithinLeadTime<T>(this IRuleBuilder<T, DateTimeOffset?> rule, TimeProvider clock) =>
        rule.Must(at => at is null || at <= clock.GetUtcNow() + MaxLeadTime).WithMessage("'{PropertyName}' must be at most one year ahead.");
}

public sealed class MailingFilterValidator : Validator<MailingFilterRequest>
{
    public MailingFilterValidator()
    {
        RuleFor(f => f.OperatorCodes).Must(codes => codes is null || codes.Length <= MailingRules.MaxFilterValues)
            .WithMessage($"'{{PropertyName}}' must have at most {MailingRules.MaxFilterValues} codes.");
        RuleForEach(f => f.OperatorCodes).NotNull().MustBeOperatorCode();
        RuleFor(f => f.Tags).Must(tags => tags is null || tags.Length <= MailingRules.MaxFilterValues)
            .WithMessage($"'{{PropertyName}}' must have at most {MailingRules.MaxFilterValues} tags.");
        RuleForEach(f => f.Tags).NotNull().MaximumLength(ClientConfiguration.MaxTagLength)
            .Must(TextRules.IsPrintable).WithMessage("'{PropertyName}' must not contain control characters or invalid Unicode.");
    }
}

public sealed class SendWindowValidator : Validator<SendWindowRequest>
{
    public SendWindowValidator()
    {
        RuleFor(w => w.From).NotEmpty().Must(SendWindowRequest.IsTimeOfDay).WithMessage("'{PropertyName}' must be a time of day as HH:mm, such as 09:00.");
        RuleFor(w => w.To).NotEmpty().Must(SendWindowRequest.IsTimeOfDay).WithMessage("'{PropertyName}' must be a time of day as HH:mm, such as 21:00.");
        RuleFor(w => w.To).NotEqual(w => w.From).WithMessage("'to' must differ from 'from'; leave the window out to send at any time.")
            .When(w => SendWindowRequest.IsTimeOfDay(w.From) && SendWindowRequest.IsTimeOfDay(w.To));
    }
}
