using System.Globalization;
using System.Text.RegularExpressions;

namespace TaskWorker.Sms;

/// <summary>The phones the provider takes: 11 to 15 digits without a leading 0, sent as a JSON integer.</summary>
internal static partial class SmsPhones
{
    public const string Rule = "11 to 15 digits (without a leading 0, as the API takes it as a number)";

    public static bool TryParse(string? digits, out long phone)
    {
        phone = 0;
        if (digits is null || !PhoneDigits().IsMatch(digits))
        {
            return false;
        }
        phone = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    // \z, not $: $ also matches before a final line break, which would let "79001234567\n" through.
    [GeneratedRegex(@"^[1-9][0-9]{10,14}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneDigits();
}
