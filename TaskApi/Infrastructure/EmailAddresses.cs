using FluentValidation;
using MimeKit;

namespace TaskApi.Infrastructure;

/// <summary>
/// Email addresses (subscribers, senders, report recipients), read by MimeKit (the parser MailKit sends with): an RFC 5322 addr-spec
/// (local-part@domain) and nothing around it.
/// </summary>
public static class EmailAddresses
{
    /// <summary>The longest address SMTP carries: a 256-octet path less its angle brackets (RFC 5321, 4.5.3.1.3).</summary>
    public const int MaxLength = 254;

    // Strict: no obsolete or sloppy syntax such as unquoted spaces; and an address without a domain cannot be mailed.
    private static readonly ParserOptions Parser = CreateParser();

    /// <summary>
    /// True when <paramref name="address"/> is exactly one addr-spec with a domain: a dot-atom or quoted local part,
    /// then a domain name (international ones in Unicode or punycode) or a domain literal such as [192.0.2.1].
    /// A display name, angle brackets, comments, a source route, a group or a list of addresses is refused.
    /// </summary>
    public static bool IsBareAddress(string address) =>
        MailboxAddress.TryParse(Parser, address, out var mailbox)
        && string.IsNullOrEmpty(mailbox.Name)
        && mailbox.Route.Count == 0
        // The parser skips comments, angle brackets and folding whitespace; whatever it skipped makes the text differ
        // from the address it read (which shows a punycode domain in Unicode, hence the second form).
        && (mailbox.Address == address || string.Equals(mailbox.GetAddress(idnEncode: true), address, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The address as compared, so one mailbox is one subscriber of a list however it is written: lower-case, with an
    /// international domain in Unicode (a@xn--bcher-kva.example and A@bücher.example are the same). Text that is not
    /// an address is only trimmed and lower-cased.
    /// </summary>
    public static string Normalized(string address)
    {
        var trimmed = address.Trim();
        return (MailboxAddress.TryParse(Parser, trimmed, out var mailbox) ? mailbox.Address : trimmed).ToLowerInvariant();
    }

    /// <summary>
    /// The rule every address field follows (a subscriber's, a campaign's sender): one message per address, each check
    /// assuming the ones before it passed. The address is what is left when surrounding whitespace is trimmed.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> EmailAddress<T>(this IRuleBuilderInitial<T, string?> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .NotEmpty()
            .Must(email => email!.Trim().Length <= MaxLength)
            .WithMessage($"'{{PropertyName}}' must be at most {MaxLength} characters.")
            .Must(email => TextRules.IsPrintable(email!.Trim())).WithMessage("'{PropertyName}' must not contain control characters or invalid Unicode.")
            .Must(email => IsBareAddress(email!.Trim()))
            .WithMessage("'{PropertyName}' must be one address such as ana@example.com, with a domain and without a display name, " +
                "angle brackets or comments.");

    private static ParserOptions CreateParser()
    {
        var parser = ParserOptions.Default.Clone();
        parser.AddressParserComplianceMode = RfcComplianceMode.Strict;
        parser.AllowAddressesWithoutDomain = false;
        return parser;
    }
}
