using PhoneNumbers;

namespace TaskApi.Features.Clients;

/// <summary>A client's phone as libphonenumber sees it.</summary>
public enum PhoneKind
{
    /// <summary>No country's numbering plan has this number.</summary>
    Invalid,

    /// <summary>A real number, but a landline (or another kind a text message cannot reach).</summary>
    NotMobile,

    Mobile,
}

/// <summary>
/// Clients' phone numbers: international form, the country code first (79001234567), digits only and stored without
/// the '+' a client may write before them. A number is accepted when libphonenumber knows it as a mobile number.
/// </summary>
public static class MobileNumbers
{
    public const int MinDigits = 11;
    public const int MaxDigits = ClientConfiguration.MaxPhoneLength;

    /// <summary>ASCII digits after an optional '+' (a <c>\d</c> would also take other scripts' digits).</summary>
    public const string Pattern = "^\\+?[0-9]+$";

    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();

    /// <summary>The phone as stored: its digits, without a leading '+'.</summary>
    public static string Digits(string phone) => phone.StartsWith('+') ? phone[1..] : phone;

    public static bool HasAllowedLength(string phone) => Digits(phone).Length is >= MinDigits and <= MaxDigits;

    public static PhoneKind KindOf(string phone)
    {
        if (!TryParse(phone, out var number) || !Numbers.IsValidNumber(number))
        {
            return PhoneKind.Invalid;
        }
        return Numbers.GetNumberType(number) is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE
            ? PhoneKind.Mobile
            : PhoneKind.NotMobile;
    }

    /// <summary>
    /// The operator code of a valid number whose client gave none: the first three digits of its national (significant)
    /// number. For Russia's 7XXXXXXXXXX these are the three digits after the 7, the DEF code that names the operator's
    /// range. Other countries have no such code in the number; their national number's first three digits (usually the
    /// mobile prefix, e.g. 151 in Germany) are the closest equivalent, and a client can always give its code explicitly.
    /// </summary>
    public static string OperatorCodeOf(string phone) =>
        TryParse(phone, out var number)
            ? Numbers.GetNationalSignificantNumber(number)[..ClientConfiguration.OperatorCodeLength]
            : throw new ArgumentException($"'{phone}' is not a phone number; validate it first.", nameof(phone));

    // With the '+' the country code is read from the number itself, so no default region is needed.
    private static bool TryParse(string phone, out PhoneNumber number)
    {
        try
        {
            number = Numbers.Parse("+" + Digits(phone), null);
            return true;
        }
        catch (NumberParseException)
        {
            number = null!;
            return false;
        }
    }
}
