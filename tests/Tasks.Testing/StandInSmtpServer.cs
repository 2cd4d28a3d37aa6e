using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.IO;
using SmtpServer.ComponentModel;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Tasks.Testing;

/// <summary>Where in a transaction a programmed answer is given.</summary>
public enum SmtpStage
{
    MailFrom,
    RcptTo,
    Data,
}

/// <summary>
/// How the stand-in answers one command at <see cref="Stage"/>: a reply (<see cref="ReplyCode"/> and text; a 421 also
/// closes the connection, as servers do), no answer at all (<see cref="Hang"/>, until the client gives up or the server
/// stops), the connection closed without a reply (<see cref="Drop"/>), or the usual answer after <see cref="Delay"/>.
/// </summary>
public sealed record StandInSmtpAnswer(SmtpStage Stage, int ReplyCode = 0, string Text = "", bool Hang = false, bool Drop = false, TimeSpan Delay = default)
{
    /// <summary>The message accepted as usual, but only after <paramref name="delay"/> (a slow server).</summary>
    public static StandInSmtpAnswer Delayed(TimeSpan delay) => new(SmtpStage.Data, Delay: delay);

    public static StandInSmtpAnswer Reply(SmtpStage stage, int replyCode, string text) => new(stage, replyCode, text);

    public static StandInSmtpAnswer Hanging(SmtpStage stage) => new(stage, Hang: true);

    public static StandInSmtpAnswer Dropping(SmtpStage stage) => new(stage, Drop: true);
}

/// <summary>How the stand-in's endpoint is secured.</summary>
public enum StandInSmtpSecurity
{
    /// <summary>Plain SMTP; STARTTLS not offered.</summary>
    None,

    /// <summary>Plain at first, STARTTLS offered (with the stand-in's self-signed certificate).</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS).</summary>
    Implicit,
}

/// <summary>How to start a <see cref="StandInSmtpServer"/>.</summary>
/// <param name="User">With a user (and <paramref name="Password"/>), AUTH PLAIN and LOGIN are offered and required before MAIL.</param>
/// <param name="KeepMessages">False: a counting mode for benchmarks, each message counted (per session too) and its bytes dropped.</param>
/// <param name="KeepRecipient">In the counting mode, the messages to a recipient this accepts are kept all the same (a benchmark's probes).</param>
public sealed record StandInSmtpOptions(
    StandInSmtpSecurity Security = StandInSmtpSecurity.None,
    string? User = null,
    string? Password = null,
    bool KeepMessages = true,
    Func<string, bool>? KeepRecipient = null);

/// <summary>
/// One message the stand-in accepted: the envelope, the session (connection) it came over, its bytes as received and,
/// parsed on first use, the MIME message.
/// </summary>
public sealed class ReceivedEmail(Guid sessionId, string envelopeFrom, IReadOnlyList<string> envelopeTo, byte[] raw, DateTimeOffset receivedAt)
{
    private readonly Lazy<MimeMessage> _message = new(() => MimeMessage.Load(new MemoryStream(raw, writable: false)));

    public Guid SessionId { get; } = sessionId;
    public string EnvelopeFrom { get; } = envelopeFrom;
    public IReadOnlyList<string> EnvelopeTo { get; } = envelopeTo;
    public byte[] Raw { get; } = raw;
    public DateTimeOffset ReceivedAt { get; } = receivedAt;
    public MimeMessage Message => _message.Value;
}

/// <summary>One SMTP session (connection) the stand-in had: whether it was secured (TLS) and as whom it authenticated.</summary>
public sealed record StandInSmtpSession(Guid Id, bool Secure, string? User);

/// <summary>
/// A real SMTP server (the SmtpServer package) on a free loopback port, for tests and benchmarks of what sends email: it
/// records every message it accepts, with the envelope and the session it came over, and answers what a test programmed —
/// for the next messages at a stage (<see cref="AnswerNext"/>) or for a recipient (<see cref="AnswerFor"/>); otherwise
/// 250. It offers AUTH with a known user and STARTTLS or implicit TLS with a self-signed certificate made at start.
/// </summary>
public sealed class StandInSmtpServer : IAsyncDisposable
{
    private const string RecipientsKey = "stand-in:recipients";
    private const string ClosingKey = "stand-in:closing";
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly StandInSmtpOptions _options;
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<ReceivedEmail> _received = new();
    private readonly ConcurrentDictionary<Guid, StandInSmtpSession> _sessions = new();
    private readonly ConcurrentDictionary<Guid, ISessionContext> _open = new();
    private readonly ConcurrentDictionary<Guid, int> _countsBySession = new();
    private readonly ConcurrentDictionary<SmtpStage, ConcurrentQueue<StandInSmtpAnswer>> _next = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<StandInSmtpAnswer>> _byRecipient = new(StringComparer.OrdinalIgnoreCase);
    private int _count;

    private StandInSmtpServer(StandInSmtpOptions options, X509Certificate2? certificate)
    {
        _options = options;
        Certificate = certificate;
        var endpoint = new EndpointDefinitionBuilder()
            // Port 0: the system picks a free one, which the listener reports once it listens.
            .Endpoint(new IPEndPoint(IPAddress.Loopback, 0))
            .IsSecure(options.Security == StandInSmtpSecurity.Implicit)
            .AuthenticationRequired(options.User is not null)
            .AllowUnsecureAuthentication()
            // Long enough for a benchmark's sessions; the library's default (2 minutes) would end them mid-run.
            .SessionTimeout(TimeSpan.FromHours(1));
        if (certificate is not null)
        {
            endpoint.Certificate(certificate);
        }
        var serverOptions = new SmtpServerOptionsBuilder().ServerName("stand-in.test").Endpoint(endpoint.Build()).Build();
        var services = new ServiceProvider();
        services.Add(new NoDelayListenerFactory(port => Port = port));
        services.Add(new Store(this));
        services.Add(new Filter(this));
        if (options.User is not null)
        {
            services.Add(new Authenticator(options.User, options.Password));
        }
        _server = new SmtpServer.SmtpServer(serverOptions, services);
        _server.SessionCreated += (_, e) =>
        {
            _sessions[e.Context.SessionId] = new StandInSmtpSession(e.Context.SessionId, Secure: false, User: null);
            _open[e.Context.SessionId] = e.Context;
            e.Context.CommandExecuted += Observe;
        };
        _server.SessionCompleted += (_, e) => _open.TryRemove(e.Context.SessionId, out ISessionContext? _);
        _server.SessionFaulted += (_, e) => _open.TryRemove(e.Context.SessionId, out ISessionContext? _);
        _server.SessionCancelled += (_, e) => _open.TryRemove(e.Context.SessionId, out ISessionContext? _);
        // Binds the listener (NoDelayListenerFactory sets the port) before its first await, so the port is known when this returns.
        _running = _server.StartAsync(_stopping.Token);
    }

    public string Host => "127.0.0.1";

    public int Port { get; private set; }

    /// <summary>The self-signed certificate the server presents (for 127.0.0.1 and localhost); null without TLS.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>The <see cref="Certificate"/>'s SHA-256 fingerprint in hex, as a client pins it.</summary>
    public string? CertificateSha256 => Certificate is null ? null : Convert.ToHexString(SHA256.HashData(Certificate.RawData));

    /// <summary>Every message accepted, in the order received (empty in the counting mode).</summary>
    public IReadOnlyList<ReceivedEmail> Received => _received.ToList();

    /// <summary>How many messages were accepted, in either mode.</summary>
    public int ReceivedCount => Volatile.Read(ref _count);

    /// <summary>Every session opened so far, in no particular order.</summary>
    public IReadOnlyList<StandInSmtpSession> Sessions => _sessions.Values.ToList();

    /// <summary>How many messages each session carried, in either mode.</summary>
    public IReadOnlyDictionary<Guid, int> ReceivedBySession => new Dictionary<Guid, int>(_countsBySession);

    public static Task<StandInSmtpServer> StartAsync(StandInSmtpOptions? options = null)
    {
        options ??= new StandInSmtpOptions();
        var certificate = options.Security == StandInSmtpSecurity.None ? null : SelfSignedCertificate();
        var server = new StandInSmtpServer(options, certificate);
        return server._running.IsFaulted ? Task.FromException<StandInSmtpServer>(server._running.Exception) : Task.FromResult(server);
    }

    /// <summary>The next <paramref name="count"/> commands at <paramref name="answer"/>'s stage, whatever their message, get it.</summary>
    public void AnswerNext(int count, StandInSmtpAnswer answer)
    {
        var queue = _next.GetOrAdd(answer.Stage, _ => new ConcurrentQueue<StandInSmtpAnswer>());
        for (var i = 0; i < count; i++)
        {
            queue.Enqueue(answer);
        }
    }

    /// <summary>
    /// The next messages to <paramref name="recipient"/> get these answers in order, each at its stage (RCPT TO or DATA:
    /// the recipient is not known at MAIL FROM); later ones are accepted.
    /// </summary>
    public void AnswerFor(string recipient, params StandInSmtpAnswer[] answers)
    {
        if (answers.Any(answer => answer.Stage == SmtpStage.MailFrom))
        {
            throw new ArgumentException("A recipient is known from RCPT TO on; use AnswerNext for MAIL FROM.", nameof(answers));
        }
        var queue = _byRecipient.GetOrAdd(recipient, _ => new ConcurrentQueue<StandInSmtpAnswer>());
        foreach (var answer in answers)
        {
            queue.Enqueue(answer);
        }
    }

    /// <summary>Closes every open connection without a word, as a server does with sessions it found idle too long.</summary>
    public void CloseSessions()
    {
        foreach (var context in _open.Values)
        {
            context.Pipe.Dispose();
        }
    }

    public IReadOnlyList<ReceivedEmail> ReceivedFor(string recipient) =>
        _received.Where(email => email.EnvelopeTo.Contains(recipient, StringComparer.OrdinalIgnoreCase)).ToList();

    /// <summary>Waits until <paramref name="count"/> messages to <paramref name="recipient"/> arrived, and returns them.</summary>
    public Task<IReadOnlyList<ReceivedEmail>> WaitForAsync(string recipient, int count = 1, TimeSpan? timeout = null) =>
        Eventually.GetAsync(
            () => Task.FromResult(ReceivedFor(recipient) is { } received && received.Count >= count ? received : null),
            timeout ?? TimeSpan.FromSeconds(30), $"{count} messages to {recipient}");

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _server.Shutdown();
        // The sessions end as their clients notice; a client that keeps its connection must not hold up the test.
        await Task.WhenAny(_running, Task.Delay(StopTimeout));
        _stopping.Dispose();
        Certificate?.Dispose();
    }

    /// <summary>The programmed answer for a command at <paramref name="stage"/> of a message to <paramref name="recipients"/>, if any.</summary>
    private StandInSmtpAnswer? Programmed(SmtpStage stage, IEnumerable<string> recipients)
    {
        foreach (var recipient in recipients)
        {
            if (_byRecipient.TryGetValue(recipient, out var queue) && queue.TryPeek(out var head) && head.Stage == stage && queue.TryDequeue(out var answer))
            {
                return answer;
            }
        }
        return _next.TryGetValue(stage, out var next) && next.TryDequeue(out var programmed) ? programmed : null;
    }

    /// <summary>Null when the command goes on as usual; otherwise the reply to give instead, after hanging or dropping as told.</summary>
    private async Task<SmtpResponse?> MisbehaveAsync(ISessionContext context, SmtpStage stage, IEnumerable<string> recipients, CancellationToken cancellationToken)
    {
        if (Programmed(stage, recipients) is not { } answer)
        {
            return null;
        }
        if (answer.Drop)
        {
            context.Pipe.Dispose();
            throw new IOException("The stand-in dropped the connection.");
        }
        if (answer.Delay > TimeSpan.Zero)
        {
            await Task.Delay(answer.Delay, cancellationToken);
            return null;
        }
        if (answer.Hang)
        {
            using var stopped = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
            await Task.Delay(Timeout.Infinite, stopped.Token);
        }
        if (answer.ReplyCode == (int)SmtpReplyCode.ServiceUnavailable)
        {
            context.Properties[ClosingKey] = true;
        }
        return new SmtpResponse((SmtpReplyCode)answer.ReplyCode, answer.Text);
    }

    /// <summary>Notes the session's TLS and user after each command; after a 421 reply closes the connection, as RFC 5321 has it.</summary>
    private void Observe(object? sender, SmtpCommandEventArgs e)
    {
        var context = e.Context;
        _sessions[context.SessionId] = new StandInSmtpSession(context.SessionId, context.Pipe.IsSecure, context.Authentication.User);
        if (context.Properties.Remove(ClosingKey))
        {
            context.Pipe.Dispose();
        }
    }

    private static List<string> RecipientsOf(ISessionContext context) =>
        context.Properties.TryGetValue(RecipientsKey, out var recipients) ? (List<string>)recipients : [];

    private void Accept(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer)
    {
        Interlocked.Increment(ref _count);
        _countsBySession.AddOrUpdate(context.SessionId, 1, (_, count) => count + 1);
        var to = transaction.To.Select(AddressOf).ToList();
        if (_options.KeepMessages || (_options.KeepRecipient is { } keep && to.Any(keep)))
        {
            _received.Enqueue(new ReceivedEmail(context.SessionId, AddressOf(transaction.From), to, buffer.ToArray(), DateTimeOffset.UtcNow));
        }
    }

    private static string AddressOf(IMailbox mailbox) => $"{mailbox.User}@{mailbox.Host}";

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=stand-in.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS #12, so the key is usable by SslStream as a server's on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }

    /// <summary>
    /// Listeners as the library's own, but with Nagle's algorithm off: the server flushes each reply on its own, and a
    /// pipelined MAIL/RCPT/DATA's second and third replies would otherwise wait for the client's delayed ACK, 40 ms a message.
    /// </summary>
    private sealed class NoDelayListenerFactory(Action<int> listening) : IEndpointListenerFactory
    {
        public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
        {
            var listener = new TcpListener(endpointDefinition.Endpoint);
            listener.Start();
            listening(((IPEndPoint)listener.LocalEndpoint).Port);
            return new NoDelayListener(listener);
        }
    }

    private sealed class NoDelayListener(TcpListener listener) : IEndpointListener
    {
        public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            client.NoDelay = true;
            return new SocketPipe(client);
        }

        public void Dispose() => listener.Stop();
    }

    /// <summary>A connection's stream as the library's pipes, upgraded to TLS on STARTTLS or for implicit TLS.</summary>
    private sealed class SocketPipe : ISecurableDuplexPipe
    {
        private readonly TcpClient _client;
        private Stream _stream;

        public SocketPipe(TcpClient client)
        {
            _client = client;
            _stream = client.GetStream();
            Input = PipeReader.Create(_stream);
            Output = PipeWriter.Create(_stream);
        }

        public PipeReader Input { get; private set; }

        public PipeWriter Output { get; private set; }

        public bool IsSecure => _stream is SslStream;

        public SslProtocols SslProtocol => (_stream as SslStream)?.SslProtocol ?? SslProtocols.None;

        public async Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default)
        {
            var tls = new SslStream(_stream, leaveInnerStreamOpen: true);
            try
            {
                await tls.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = protocols }, cancellationToken);
            }
            catch
            {
                await tls.DisposeAsync();
                throw;
            }
            _stream = tls;
            Input = PipeReader.Create(_stream);
            Output = PipeWriter.Create(_stream);
        }

        public void Dispose() => _client.Dispose();
    }

    private sealed class Filter(StandInSmtpServer server) : IMailboxFilter
    {
        public async Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken)
        {
            context.Properties[RecipientsKey] = new List<string>();
            await ThrowIfProgrammedAsync(context, SmtpStage.MailFrom, [], cancellationToken);
            return true;
        }

        public async Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
        {
            var recipient = AddressOf(to);
            await ThrowIfProgrammedAsync(context, SmtpStage.RcptTo, [recipient], cancellationToken);
            RecipientsOf(context).Add(recipient);
            return true;
        }

        private async Task ThrowIfProgrammedAsync(ISessionContext context, SmtpStage stage, IEnumerable<string> recipients, CancellationToken cancellationToken)
        {
            if (await server.MisbehaveAsync(context, stage, recipients, cancellationToken) is { } reply)
            {
                // The library's way to answer a command with a reply of one's own; a 421 also ends the session.
                throw new SmtpResponseException(reply, quit: context.Properties.Remove(ClosingKey));
            }
        }
    }

    private sealed class Store(StandInSmtpServer server) : IMessageStore
    {
        public async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (await server.MisbehaveAsync(context, SmtpStage.Data, RecipientsOf(context), cancellationToken) is { } reply)
            {
                return reply;
            }
            server.Accept(context, transaction, buffer);
            return SmtpResponse.Ok;
        }
    }

    private sealed class Authenticator(string user, string? password) : IUserAuthenticator
    {
        public Task<bool> AuthenticateAsync(ISessionContext context, string userName, string passphrase, CancellationToken cancellationToken) =>
            Task.FromResult(userName == user && passphrase == password);
    }
}
