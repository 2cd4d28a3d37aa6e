using MimeKit;

namespace TaskApi.Infrastructure;

/// <summary>LEAD-MERGE: replaced by the Lists feature's address rule.</summary>
public static class EmailAddresses
{
    public const string Rule = "'{PropertyName}' must be an email address such as name@example.com.";

    public static bool IsValid(string address) =>
        address.Length <= 254 && MailboxAddress.TryParse(address, out var mailbox) && mailbox.Address == address.Trim() && address.Contains('@');
}
