using System.Security.Cryptography;
using System.Text;
using Tasks.Shared;

namespace Tasks.EmailTemplates;

/// <summary>
/// Signs the finished content of an email of our own (the daily report, <see cref="EmailSendItem.Content"/>) in TaskApi,
/// and checks it in TaskWorker, so a content email reaches the SMTP server only when TaskApi made it: anyone else able
/// to write <c>emails.send</c> (directly, or through the Scheduler) could otherwise send any HTML from any address.
/// The signature is HMAC-SHA256 over the content's JSON without its signature, keyed with a key derived from the
/// tracking key both services already share (its own key, so a tracking token's MAC is never a content signature).
/// It binds the sender, subject and both parts, not the recipient: a reader of <c>emails.send</c> could resend a
/// report it saw to another address, which the broker's ACLs (docs/architecture.md) close. Thread-safe.
/// </summary>
public sealed class EmailContentSignatures
{
    private static readonly byte[] Purpose = "tasks email content v1"u8.ToArray();

    private readonly byte[] _key;

    /// <param name="trackingKey">The shared tracking key (<see cref="TrackingOptions.KeyBytes"/>).</param>
    public EmailContentSignatures(byte[] trackingKey)
    {
        ArgumentNullException.ThrowIfNull(trackingKey);
        if (trackingKey.Length < TrackingOptions.MinKeyLength)
        {
            throw new ArgumentException($"The tracking key must have at least {TrackingOptions.MinKeyLength} bytes.", nameof(trackingKey));
        }
        _key = HMACSHA256.HashData(trackingKey, Purpose);
    }

    /// <summary><paramref name="content"/> with its signature.</summary>
    public EmailContent Sign(EmailContent content) => content with { Signature = Convert.ToBase64String(Mac(content)) };

    /// <summary>Whether TaskApi signed exactly this content. Never throws on what it did not sign.</summary>
    public bool IsGenuine(EmailContent content)
    {
        Span<byte> signature = stackalloc byte[HMACSHA256.HashSizeInBytes];
        return content.Signature is { Length: > 0 } text
            && Convert.TryFromBase64String(text, signature, out var length) && length == HMACSHA256.HashSizeInBytes
            && CryptographicOperations.FixedTimeEquals(signature, Mac(content));
    }

    private byte[] Mac(EmailContent content) => HMACSHA256.HashData(_key, MessageJson.Serialize(content with { Signature = null }));
}
