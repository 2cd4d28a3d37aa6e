using System.Diagnostics.CodeAnalysis;
using MimeKit;
using Tasks.Shared;

namespace TaskWorker.Email;

/// <summary>The parts of an email as rendered or as given, before they become a MIME message; without HTML, a text-only email.</summary>
internal sealed record EmailParts(string Subject, string? Html, string Text);

/// <summary>
/// Builds the MIME message handed to the server: From and To, multipart/alternative with the text and the HTML part (text
/// alone when there is no HTML), a
/// deterministic Message-ID (a resend of the same message carries the same id, so receivers can tell it is one email)
/// and, for a campaign's email, the RFC 8058 one-click unsubscribe headers.
/// </summary>
internal static class EmailComposer
{
    /// <summary>The mailbox of <paramref name="person"/>, or the reason it is not one an email can go from or to.</summary>
    public static bool TryMailbox(EmailPerson person, [NotNullWhen(true)] out MailboxAddress? mailbox, [NotNullWhen(false)] out string? reason)
    {
        mailbox = null;
        try
        {
            mailbox = new MailboxAddress(person.Name, person.Email);
        }
        catch (ParseException e)
        {
            reason = $"'{person.Email}' is not an email address: {e.Message}";
            return false;
        }
        if (string.IsNullOrEmpty(mailbox.Domain))
        {
            reason = $"'{person.Email}' is not an email address: it has no domain.";
            return false;
        }
        reason = null;
        return true;
    }

    /// <param name="localId">
    /// The Message-ID's left part: <c>{campaignId}.{messageId}</c>, <c>r.{messageId}</c> for our own emails,
    /// <c>n.{notificationId}.{deliveryId}</c> for a notification's.
    /// </param>
    /// <param name="unsubscribeUrl">The one-click unsubscribe address, for a campaign's email; null for our own.</param>
    public static MimeMessage Compose(MailboxAddress from, MailboxAddress to, string localId, EmailParts parts, string? unsubscribeUrl)
    {
        var message = new MimeMessage
        {
            Subject = parts.Subject,
            MessageId = $"{localId}@{from.Domain}",
            Body = new BodyBuilder { TextBody = parts.Text, HtmlBody = parts.Html }.ToMessageBody(),
        };
        message.From.Add(from);
        message.To.Add(to);
        if (unsubscribeUrl is not null)
        {
            message.Headers.Add("List-Unsubscribe", $"<{unsubscribeUrl}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        return message;
    }
}
