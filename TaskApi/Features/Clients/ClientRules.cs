using System.Collections.Frozen;
using FluentValidation;
using NodaTime;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Clients;

/// <summary>The rules of a client's fields, included by the create and update validators and run on every row of an import.</summary>
public sealed class ClientRules : AbstractValidator<ClientRequest>
{
    public ClientRules()
    {
        RuleFor(c => c.Phone).MustBeMobileNumber();
        RuleFor(c => c.OperatorCode).MustBeOperatorCode();
        RuleFor(c => c.Tag).MustBeTag();
        RuleFor(c => c.Timezone).MustBeTimeZone();
    }
}

/// <summary>Rules a client's fields share with the list's filters and with the notification service's users.</summary>
public static class ClientRuleExtensions
{
    // The ids of the tz database NodaTime ships, aliases included. Its provider's GetZoneOrNull would also take fixed
    // offsets such as "UTC+03:00", which are not IANA ids and which other readers of the column would not know.
    private static readonly FrozenSet<string> TimeZoneIds = DateTimeZoneProviders.Tzdb.Ids.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>A mobile number in international form (<see cref="MobileNumbers"/>); one message per phone, each check assuming the ones before it passed.</summary>
    public static IRuleBuilderOptions<T, string?> MustBeMobileNumber<T>(this IRuleBuilderInitial<T, string?> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .NotEmpty()
            .MatchesEntirely(MobileNumbers.Pattern).WithMessage("'{PropertyName}' must be digits only, optionally after a leading '+'.")
            .Must(phone => MobileNumbers.HasAllowedLength(phone!))
            .WithMessage($"'{{PropertyName}}' must have {MobileNumbers.MinDigits} to {MobileNumbers.MaxDigits} digits, the country code first.")
            .Must(phone => MobileNumbers.KindOf(phone!) == PhoneKind.Mobile)
            .WithMessage((_, phone) => MobileNumbers.KindOf(phone!) == PhoneKind.NotMobile
                ? "'{PropertyName}' is not a mobile number."
                : "'{PropertyName}' is not a valid phone number in any country (give it in international form, e.g. 79001234567).");

    /// <summary>An IANA time zone id of the tz database, as it spells it; null is left to the default.</summary>
    public static IRuleBuilderOptions<T, string?> MustBeTimeZone<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(id => id is null || TimeZoneIds.Contains(id))
            .WithMessage("'{PropertyName}' must be an IANA time zone id such as Europe/Moscow or UTC (letter case matters).");

    public static IRuleBuilderOptions<T, string?> MustBeOperatorCode<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MatchesEntirely("^[0-9]{3}$").WithMessage("'{PropertyName}' must be exactly 3 digits.");

    public static IRuleBuilderOptions<T, string?> MustBeTag<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(ClientConfiguration.MaxTagLength)
            .Must(TextRules.IsPrintable).WithMessage("'{PropertyName}' must not contain control characters or invalid Unicode.");
}
