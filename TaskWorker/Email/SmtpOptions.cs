using System.ComponentModel.DataAnnotations;

namespace TaskWorker.Email;

/// <summary>How the worker's SMTP sessions are secured; each maps to one of MailKit's <c>SecureSocketOptions</c>.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain SMTP, no TLS even if the server offers STARTTLS (<c>SecureSocketOptions.None</c>): a relay on a trusted network.</summary>
    None,

    /// <summary>
    /// STARTTLS after the greeting, required (<c>SecureSocketOptions.StartTls</c>): a server that does not offer it fails the
    /// connection instead of getting the email in clear. Usually port 587.
    /// </summary>
    StartTls,

    /// <summary>TLS from the first byte, implicit TLS (<c>SecureSocketOptions.SslOnConnect</c>). Usually port 465.</summary>
    SslOnConnect,
}

/// <summary>
/// The SMTP server TaskWorker hands emails to, and how; bound from the <c>Smtp</c> section and validated at start-up.
/// Without a <see cref="Host"/> the worker sends no email at all.
/// </summary>
public sealed class SmtpOptions : IValidatableObject
{
    public const string SectionName = "Smtp";

    /// <summary>The server's host name or address. Empty: no emails are sent.</summary>
    public string? Host { get; set; }

    [Range(1, 65_535)]
    public int Port { get; set; } = 25;

    /// <summary>The user to authenticate as (AUTH, with the mechanism the server offers); none: no authentication.</summary>
    public string? User { get; set; }

    /// <summary>The <see cref="User"/>'s password; required with a user.</summary>
    public string? Password { get; set; }

    public SmtpSecurity Security { get; set; } = SmtpSecurity.None;

    /// <summary>Most sessions open to the server at once; each carries one email at a time, and is reused for the next.</summary>
    [Range(1, 100)]
    public int MaxConnections { get; set; } = 4;

    /// <summary>Most emails handed to the server within any second, counted over every TaskWorker instance (in Redis); 0: no limit.</summary>
    [Range(0, 1_000_000)]
    public int MaxPerSecond { get; set; }

    /// <summary>How long one attempt may take (connecting, when it needs a new session, and the whole transaction); past it the email is reported for a retry.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most send records handled at once (waiting for the rate limit or a session included); past it the consumer pauses its partitions.</summary>
    [Range(1, 1_000_000)]
    public int MaxInFlight { get; set; } = 1_000;

    /// <summary>
    /// How long a campaign's email waits for the campaign's first change to be read: TaskApi publishes the change before the
    /// emails, but the listener may lag. Past it the email is reported for a retry.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan CampaignWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The SHA-256 fingerprint (hex) of one server certificate to accept although it does not validate (self-signed, or not
    /// for <see cref="Host"/>), as for a private relay or a test server. Only that exact certificate is accepted beside the
    /// ones that validate; empty: only certificates that validate.
    /// </summary>
    public string? TrustedCertificateSha256 { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsEnabled)
        {
            yield break;
        }
        if (!string.IsNullOrEmpty(User) && string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("Password is required when User is set.", [nameof(Password)]);
        }
        if (!Enum.IsDefined(Security))
        {
            yield return new ValidationResult($"Security must be None, StartTls or SslOnConnect: got '{Security}'.", [nameof(Security)]);
        }
        if (!string.IsNullOrEmpty(TrustedCertificateSha256))
        {
            if (TrustedCertificateSha256.Length != 64 || !TrustedCertificateSha256.All(char.IsAsciiHexDigit))
            {
                yield return new ValidationResult("TrustedCertificateSha256 must be 64 hex digits (a SHA-256 fingerprint).", [nameof(TrustedCertificateSha256)]);
            }
            else if (Security == SmtpSecurity.None)
            {
                yield return new ValidationResult("TrustedCertificateSha256 needs a Security with TLS (StartTls or SslOnConnect).", [nameof(TrustedCertificateSha256)]);
            }
        }
    }

    /// <summary>The <see cref="TrustedCertificateSha256"/> as bytes, null when unset.</summary>
    internal byte[]? TrustedCertificateHash() =>
        string.IsNullOrEmpty(TrustedCertificateSha256) ? null : Convert.FromHexString(TrustedCertificateSha256);
}
