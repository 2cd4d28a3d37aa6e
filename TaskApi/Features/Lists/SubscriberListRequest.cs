using FastEndpoints;
using FluentValidation;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Lists;

/// <summary>A list's fields: the JSON body of <c>POST /lists</c>.</summary>
public class SubscriberListRequest
{
    /// <summary>Bodies larger than this are refused before they are parsed: a name is under 1 KiB even with every character escaped.</summary>
    public const int MaxRequestBytes = 4 * 1024;

    /// <summary>What the list is called: 1 to 200 characters without control characters (need not be unique).</summary>
    public string Name { get; set; } = null!;
}

public static class ListRuleExtensions
{
    public static IRuleBuilderOptions<T, string?> MustBeListName<T>(this IRuleBuilder<T, string?> rule) =>
        // MaximumLength before NotEmpty: FastEndpoints.Swagger writes the last length rule's bounds into the schema.
        rule.MaximumLength(SubscriberListConfiguration.MaxNameLength)
            .NotEmpty()
            .Must(TextRules.IsPrintable).WithMessage("'{PropertyName}' must not contain control characters or invalid Unicode.");
}

public sealed class SubscriberListValidator : Validator<SubscriberListRequest>
{
    public SubscriberListValidator() => RuleFor(l => l.Name).MustBeListName();
}
