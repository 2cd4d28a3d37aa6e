using System.Text;
using System.Text.Json;
using FastEndpoints;
using FluentValidation;
using TaskApi.Features.Tasks.CreateTask;
using TaskApi.Features.Templates;
using TaskApi.Features.Users;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Notifications.CreateNotification;

/// <summary>The rules of a new notification.</summary>
public sealed class CreateNotificationValidator : Validator<CreateNotificationRequest>
{
    public const int MaxUsers = 10_000;
    public const int MaxDataBytes = 64 * 1024;

    /// <summary>Bodies larger than this are refused before they are parsed: 10,000 ids of 128 characters escaped, the HTML, data and text.</summary>
    public const int MaxRequestBytes = 10 * 1024 * 1024;

    public CreateNotificationValidator()
    {
        RuleFor(n => n.UserIds).NotEmpty()
            .Must(ids => ids!.Length <= MaxUsers).WithMessage($"'{{PropertyName}}' must have at most {MaxUsers:N0} users.")
            .When(n => n.UserIds is not null, ApplyConditionTo.CurrentValidator);
        // Each id is looked at only in a list of allowed length: a 10 MiB body holds two million short ids.
        RuleForEach(n => n.UserIds).MustEachBeUserId().When(n => n.UserIds is { Length: <= MaxUsers });
        RuleFor(n => n.UserIds).Custom((ids, context) => NameRepeats(ids!, "userIds", context)).When(n => n.UserIds is { Length: <= MaxUsers });

        RuleFor(n => n.Channels).NotEmpty()
            .Must(channels => channels!.Length <= NotificationChannels.ByApiName.Count)
            .WithMessage($"'{{PropertyName}}' must have at most {NotificationChannels.ByApiName.Count} channels.")
            .When(n => n.Channels is not null, ApplyConditionTo.CurrentValidator);
        RuleForEach(n => n.Channels)
            .Must(channel => channel is not null && NotificationChannels.ByApiName.ContainsKey(channel))
            .WithMessage($"'{{PropertyName}}' must be {NotificationChannels.OneOf}.")
            .When(n => n.Channels is not null && n.Channels.Length <= NotificationChannels.ByApiName.Count);
        RuleFor(n => n.Channels).Custom((channels, context) => NameRepeats(channels!, "channels", context))
            .When(n => n.Channels is not null && n.Channels.Length <= NotificationChannels.ByApiName.Count);

        // MaximumLength before NotEmpty: FastEndpoints.Swagger writes the last length rule's bounds into the schema.
        RuleFor(n => n.Title)
            .MaximumLength(NotificationConfiguration.MaxTitleLength)
            .NotEmpty()
            .Must(TextRules.IsPrintable).WithMessage("'{PropertyName}' must be one line without control characters.")
            .When(n => n.TemplateId is null);
        RuleFor(n => n.Text)
            .MaximumLength(NotificationConfiguration.MaxTextLength)
            .NotEmpty()
            .Must(text => text is null || TextRules.IsStorable(text)).WithMessage("'{PropertyName}' must not contain NUL or invalid Unicode.");
        RuleFor(n => n.Html)
            .Must(TemplateRules.FitsAPart).WithMessage($"'{{PropertyName}}' must be at most {TemplateRules.MaxPartBytes / 1024} KiB (UTF-8).")
            .Must(html => html is null || TextRules.IsStorable(html)).WithMessage("'{PropertyName}' must not contain NUL or invalid Unicode.");

        RuleFor(n => n.TemplateId).GreaterThan(0).When(n => n.TemplateId is not null);
        RuleFor(n => n.Title).Null().WithMessage("Give either 'title' or 'templateId' (whose subject is the title), not both.").When(n => n.TemplateId is not null);
        RuleFor(n => n.Html).Null().WithMessage("Give either 'html' or 'templateId' (whose HTML is used), not both.").When(n => n.TemplateId is not null);

        RuleFor(n => n.Data)
            .Must(data => data!.Value.ValueKind == JsonValueKind.Object).WithMessage("'{PropertyName}' must be a JSON object.")
            .Must(data => Encoding.UTF8.GetByteCount(data!.Value.GetRawText()) <= MaxDataBytes)
            .WithMessage($"'{{PropertyName}}' must be at most {MaxDataBytes / 1024} KiB of JSON.")
            .Must(data => TextRules.HasOnlyValidUnicode(data!.Value))
            .WithMessage("'{PropertyName}' must not contain unpaired surrogate escapes such as \\ud800.")
            .When(n => n.Data is { ValueKind: not JsonValueKind.Null });

        RuleFor(n => n.SendAt).WithinAcceptedTimes();
        RuleFor(n => n.IdempotencyKey).MustBeIdempotencyKey().When(n => n.IdempotencyKey is not null);
    }

    /// <summary>Each value given again, named by its index and the index it repeats ("userIds[7]" repeats userIds[2]).</summary>
    private static void NameRepeats(string?[] values, string field, FluentValidation.ValidationContext<CreateNotificationRequest> context)
    {
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } value && !firstIndex.TryAdd(value, i))
            {
                context.AddFailure($"{field}[{i}]", $"'{field}[{i}]' repeats {field}[{firstIndex[value]}]: each must be given once.");
            }
        }
    }
}
