using FluentValidation;
using TaskApi.Features.Clients;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Users;

/// <summary>The rules of a user's fields, included by the upsert's validator and run on every row of an import.</summary>
public sealed class UserRules : AbstractValidator<UserRequest>
{
    public UserRules()
    {
        // The same rules as a subscriber's address and a client's phone and time zone; absent is allowed.
        RuleFor(u => u.Email).EmailAddress().When(u => u.Email is not null);
        RuleFor(u => u.Phone).MustBeMobileNumber().When(u => u.Phone is not null);
        RuleFor(u => u.Name)
            .MaximumLength(UserConfiguration.MaxNameLength)
            .Must(TextRules.IsPrintable).WithMessage("'{PropertyName}' must not contain control characters or invalid Unicode.");
        RuleFor(u => u.Timezone).MustBeTimeZone();
        RuleFor(u => u.QuietHours!).SetValidator(new QuietHoursRules()).When(u => u.QuietHours is not null);
    }
}

/// <summary>Both times as HH:mm, and different: equal times would be a window of nothing or of the whole day.</summary>
public sealed class QuietHoursRules : AbstractValidator<QuietHoursRequest>
{
    public QuietHoursRules()
    {
        RuleFor(q => q.From).NotEmpty().Must(QuietHoursRequest.IsTimeOfDay).WithMessage("'{PropertyName}' must be a time of day as HH:mm, such as 22:00.");
        RuleFor(q => q.To).NotEmpty().Must(QuietHoursRequest.IsTimeOfDay).WithMessage("'{PropertyName}' must be a time of day as HH:mm, such as 08:00.");
        RuleFor(q => q.To).NotEqual(q => q.From).WithMessage("'to' must differ from 'from'; leave quietHours out for none.")
            .When(q => QuietHoursRequest.IsTimeOfDay(q.From) && QuietHoursRequest.IsTimeOfDay(q.To));
    }
}

/// <summary>The rule of a user's id, wherever it comes from (the route, an import row, the list's cursor).</summary>
public static class UserIdRule
{
    /// <summary>
    /// 1 to 128 characters without control characters, any others allowed; except '/' and the ids "." and "..": the
    /// id is a segment of <c>/users/{userId}</c>, and no escaping gets those through a URL's path intact.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> MustBeUserId<T>(this IRuleBuilderInitial<T, string?> rule) =>
        rule.Cascade(CascadeMode.Stop).UserIdRules();

    /// <summary>The same rule for each id of a list (a notification's userIds), each error named by its index.</summary>
    public static IRuleBuilderOptions<T, string?> MustEachBeUserId<T>(this IRuleBuilderInitialCollection<T, string?> rule) =>
        rule.Cascade(CascadeMode.Stop).UserIdRules();

    private static IRuleBuilderOptions<T, string?> UserIdRules<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotNull()
            .Length(1, UserConfiguration.MaxUserIdLength)
            .Must(TextRules.IsPrintable).WithMessage("'{PropertyName}' must not contain control characters or invalid Unicode.")
            .Must(id => !id!.Contains('/') && id is not ("." or ".."))
            .WithMessage("'{PropertyName}' must not contain '/' nor be '.' or '..': it must be addressable as /users/{userId}.");
}
