using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Tasks.Shared;

namespace TaskWorker.Email;

/// <summary>What one attempt at the SMTP server came to; <see cref="Error"/> says why it was not <see cref="EmailOutcome.Sent"/>.</summary>
internal sealed record SmtpAnswer(EmailOutcome Outcome, string? Error = null);

/// <summary>
/// Up to <see cref="SmtpOptions.MaxConnections"/> MailKit sessions with the server, opened when first needed and reused
/// for email after email; sends beyond them wait for one. A session that failed (a lost connection, a protocol error, a
/// timeout, a 421 "closing") is dropped and the next send opens a new one. Servers close sessions left idle, so one idle
/// for <see cref="CheckAfterIdle"/> is asked a NOOP before it carries an email, and replaced when it does not answer.
/// </summary>
internal sealed class SmtpConnectionPool : IAsyncDisposable
{
    /// <summary>How much of a reply or failure goes into the report's error.</summary>
    public const int MaxErrorLength = 500;

    // Under load a session is never idle this long, so the check costs nothing then; a trickle of emails pays one round
    // trip each, which is less than the retry an email sent into a dead session would cost.
    private static readonly TimeSpan CheckAfterIdle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(2);

    private readonly SmtpOptions _options;
    private readonly byte[]? _trustedCertificateHash;
    private readonly SemaphoreSlim _slots;
    // Last in, first out: the sessions in use stay warm, and a surplus ages until its NOOP check finds it closed.
    private readonly ConcurrentStack<IdleSession> _idle = new();
    private readonly TimeProvider _time;
    private readonly EmailMetrics _metrics;

    public SmtpConnectionPool(IOptions<SmtpOptions> options, TimeProvider time, EmailMetrics metrics)
    {
        _options = options.Value;
        _trustedCertificateHash = _options.TrustedCertificateHash();
        _slots = new SemaphoreSlim(_options.MaxConnections, _options.MaxConnections);
        _time = time;
        _metrics = metrics;
    }

    /// <summary>
    /// One attempt: the email is handed to the server once, within <see cref="SmtpOptions.Timeout"/>, and never retried here.
    /// <paramref name="cancellationToken"/> ends the wait for a session, not an attempt begun.
    /// </summary>
    public async Task<SmtpAnswer> SendAsync(MimeMessage message, CancellationToken cancellationToken) =>
        (await SendAsync(message, static () => true, cancellationToken))!;

    /// <summary>
    /// The same, unless <paramref name="stillWanted"/> says no once a session is free (null then): an email that waited
    /// for a session may meanwhile have lost its reason to go, such as its campaign's cancellation.
    /// </summary>
    public async Task<SmtpAnswer?> SendAsync(MimeMessage message, Func<bool> stillWanted, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            if (!stillWanted())
            {
                return null;
            }
            var started = Stopwatch.GetTimestamp();
            // Only the wait for a session is cancelled: an attempt begun runs to its answer or its timeout, since one cut
            // off mid-DATA leaves unknown whether the server took the email (a stop or a moved partition must not cause that).
            var answer = await AttemptAsync(message);
            _metrics.Sent(answer.Outcome, Stopwatch.GetElapsedTime(started));
            return answer;
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>One attempt, ended only by the server's answer or <see cref="SmtpOptions.Timeout"/>; it never throws.</summary>
    private async Task<SmtpAnswer> AttemptAsync(MimeMessage message)
    {
        using var attempt = new CancellationTokenSource(_options.Timeout, _time);
        SmtpClient client;
        try
        {
            client = await TakeSessionAsync(attempt.Token);
        }
        catch (Exception e)
        {
            // Whatever keeps a session from opening (unreachable, TLS, authentication, a refusing greeting) is the server's
            // or the settings' state, not the email's: a later attempt may succeed.
            return new SmtpAnswer(EmailOutcome.Retry, Truncate($"No session with {_options.Host}:{_options.Port}: {Describe(e, attempt)}"));
        }

        try
        {
            await client.SendAsync(message, attempt.Token);
            Return(client);
            return new SmtpAnswer(EmailOutcome.Sent);
        }
        catch (SmtpCommandException e)
        {
            // MailKit sent RSET after the refusal, so the session can carry the next email, unless the server is closing it.
            if (e.StatusCode == SmtpStatusCode.ServiceNotAvailable || !client.IsConnected)
            {
                Discard(client);
            }
            else
            {
                Return(client);
            }
            var reply = Truncate($"{(int)e.StatusCode} {e.Message}");
            return new SmtpAnswer((int)e.StatusCode >= 500 ? EmailOutcome.Failed : EmailOutcome.Retry, reply);
        }
        catch (Exception e)
        {
            // A lost connection, a protocol error or the attempt's timeout: the session's state is unknown. The server may
            // even have taken the email, which the report cannot know.
            Discard(client);
            return new SmtpAnswer(EmailOutcome.Retry, Truncate(Describe(e, attempt)));
        }
    }

    /// <summary>An idle session that still answers, or a new one.</summary>
    private async Task<SmtpClient> TakeSessionAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryPop(out var idle))
        {
            if (!idle.Client.IsConnected)
            {
                idle.Client.Dispose();
                continue;
            }
            if (_time.GetUtcNow() - idle.Since < CheckAfterIdle)
            {
                return idle.Client;
            }
            try
            {
                await idle.Client.NoOpAsync(cancellationToken);
                return idle.Client;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                idle.Client.Dispose();
            }
        }
        return await ConnectAsync(cancellationToken);
    }

    private async Task<SmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        // The attempt's deadline (its cancellation) ends a slow attempt, and says so; the socket's own timeout only backs it up.
        var client = new SmtpClient { Timeout = (int)(_options.Timeout * 2).TotalMilliseconds };
        if (_trustedCertificateHash is not null)
        {
            client.ServerCertificateValidationCallback = AcceptValidOrTrusted;
        }
        try
        {
            await client.ConnectAsync(_options.Host!, _options.Port, SecureSocketOptionsOf(_options.Security), cancellationToken);
            if (!string.IsNullOrEmpty(_options.User))
            {
                await client.AuthenticateAsync(_options.User, _options.Password!, cancellationToken);
            }
        }
        catch
        {
            client.Dispose();
            throw;
        }
        _metrics.ConnectionOpened();
        return client;
    }

    public static SecureSocketOptions SecureSocketOptionsOf(SmtpSecurity security) => security switch
    {
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.None,
    };

    private bool AcceptValidOrTrusted(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        errors == SslPolicyErrors.None
        || (certificate is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.GetRawCertData()), _trustedCertificateHash));

    private void Return(SmtpClient client) => _idle.Push(new IdleSession(client, _time.GetUtcNow()));

    private static void Discard(SmtpClient client) => client.Dispose();

    private string Describe(Exception e, CancellationTokenSource attempt) => e switch
    {
        OperationCanceledException when attempt.IsCancellationRequested => $"No answer within {_options.Timeout}.",
        AuthenticationException => $"Authentication as {_options.User} failed: {e.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private static string Truncate(string error) => error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;

    /// <summary>Ends the idle sessions politely (QUIT); the sends still running end theirs when they finish.</summary>
    public async ValueTask DisposeAsync()
    {
        while (_idle.TryPop(out var idle))
        {
            using var quit = new CancellationTokenSource(QuitTimeout);
            try
            {
                await idle.Client.DisconnectAsync(quit: true, quit.Token);
            }
            catch (Exception)
            {
                // The server went first; the socket is closed below either way.
            }
            idle.Client.Dispose();
        }
        _slots.Dispose();
    }

    private readonly record struct IdleSession(SmtpClient Client, DateTimeOffset Since);
}
