using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using Tasks.Shared;
using Tasks.Testing;
using TaskWorker.Email;

namespace TaskWorker.Tests.Email;

/// <summary>The sessions the pool opens with a real SMTP server: how many, how they are secured, and how they are replaced.</summary>
public sealed class SmtpConnectionPoolTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    [Fact]
    public async Task SendAsync_ManyEmailsAtOnce_GoOverAtMostMaxConnectionsSessions()
    {
        await using var server = await StandInSmtpServer.StartAsync();
        await using var pool = Pool(server, maxConnections: 3);

        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => pool.SendAsync(EmailRecords.NewMessage(), CancellationToken.None)));

        Assert.All(answers, answer => Assert.Equal(new SmtpAnswer(EmailOutcome.Sent), answer));
        Assert.Equal(30, server.ReceivedCount);
        Assert.InRange(server.Sessions.Count, 1, 3);
    }

    [Theory]
    [InlineData(StandInSmtpSecurity.StartTls, SmtpSecurity.StartTls)]
    [InlineData(StandInSmtpSecurity.Implicit, SmtpSecurity.SslOnConnect)]
    public async Task SendAsync_TlsAndAuthWithThePinnedCertificate_SendsOverATlsSessionAsTheUser(StandInSmtpSecurity offered, SmtpSecurity security)
    {
        await using var server = await StandInSmtpServer.StartAsync(new StandInSmtpOptions(offered, "mailer", "s3cret"));
        await using var pool = Pool(server, security: security, user: "mailer", password: "s3cret", pin: server.CertificateSha256);

        var answer = await pool.SendAsync(EmailRecords.NewMessage(), CancellationToken.None);

        Assert.Equal(new SmtpAnswer(EmailOutcome.Sent), answer);
        Assert.Equal(new StandInSmtpSession(Assert.Single(server.Received).SessionId, Secure: true, User: "mailer"), Assert.Single(server.Sessions));
    }

    [Fact]
    public async Task SendAsync_WrongPassword_RetryNamingTheUserAndNothingSent()
    {
        await using var server = await StandInSmtpServer.StartAsync(new StandInSmtpOptions(StandInSmtpSecurity.None, "mailer", "s3cret"));
        await using var pool = Pool(server, user: "mailer", password: "wrong");

        var answer = await pool.SendAsync(EmailRecords.NewMessage(), CancellationToken.None);

        Assert.Equal(EmailOutcome.Retry, answer.Outcome);
        Assert.Contains("Authentication as mailer failed", answer.Error);
        Assert.Equal(0, server.ReceivedCount);
    }

    [Fact]
    public async Task SendAsync_StartTlsRequiredButNotOffered_RetryAndNothingSentInClear()
    {
        await using var server = await StandInSmtpServer.StartAsync();
        await using var pool = Pool(server, security: SmtpSecurity.StartTls);

        var answer = await pool.SendAsync(EmailRecords.NewMessage(), CancellationToken.None);

        Assert.Equal(EmailOutcome.Retry, answer.Outcome);
        Assert.Contains("STARTTLS", answer.Error);
        Assert.Equal(0, server.ReceivedCount);
    }

    [Fact]
    public async Task SendAsync_SelfSignedCertificateNotPinned_RetryAndNothingSent()
    {
        await using var server = await StandInSmtpServer.StartAsync(new StandInSmtpOptions(StandInSmtpSecurity.Implicit));
        await using var pool = Pool(server, security: SmtpSecurity.SslOnConnect);

        var answer = await pool.SendAsync(EmailRecords.NewMessage(), CancellationToken.None);

        Assert.Equal(EmailOutcome.Retry, answer.Outcome);
        Assert.StartsWith($"No session with {server.Host}:{server.Port}", answer.Error);
        Assert.Equal(0, server.ReceivedCount);
    }

    [Fact]
    public async Task SendAsync_ServerClosedTheIdleSession_TheNextEmailGoesOutOnANewOne()
    {
        await using var server = await StandInSmtpServer.StartAsync();
        var time = new ShiftedTime();
        await using var pool = Pool(server, time: time);
        Assert.Equal(EmailOutcome.Sent, (await pool.SendAsync(EmailRecords.NewMessage(), CancellationToken.None)).Outcome);

        server.CloseSessions();
        time.Shift(TimeSpan.FromSeconds(5));
        var answer = await pool.SendAsync(EmailRecords.NewMessage(), CancellationToken.None);

        Assert.Equal(new SmtpAnswer(EmailOutcome.Sent), answer);
        Assert.Equal(2, server.ReceivedBySession.Count);
    }

    [Fact]
    public async Task SendAsync_ServerClosingWith421AtMailFrom_RetryWithTheReplyAndTheNextEmailGoesOutOnANewSession()
    {
        await using var server = await StandInSmtpServer.StartAsync();
        await using var pool = Pool(server);
        server.AnswerNext(1, StandInSmtpAnswer.Reply(SmtpStage.MailFrom, 421, "shutting down"));

        var answer = await pool.SendAsync(EmailRecords.NewMessage(), CancellationToken.None);
        var next = await pool.SendAsync(EmailRecords.NewMessage(), CancellationToken.None);

        Assert.Equal(EmailOutcome.Retry, answer.Outcome);
        Assert.StartsWith("421 shutting down", answer.Error);
        Assert.Equal(EmailOutcome.Sent, next.Outcome);
        Assert.Equal(2, server.Sessions.Count);
    }

    [Fact]
    public async Task SendAsync_RecipientRefused_TheSessionCarriesTheNextEmail()
    {
        await using var server = await StandInSmtpServer.StartAsync();
        await using var pool = Pool(server);
        var refused = EmailRecords.NewMessage();
        server.AnswerFor(refused.To.Mailboxes.Single().Address, StandInSmtpAnswer.Reply(SmtpStage.RcptTo, 550, "no such user"));

        var answer = await pool.SendAsync(refused, CancellationToken.None);
        var next = await pool.SendAsync(EmailRecords.NewMessage(), CancellationToken.None);

        Assert.Equal(EmailOutcome.Failed, answer.Outcome);
        Assert.Equal(EmailOutcome.Sent, next.Outcome);
        Assert.Single(server.Sessions);
    }

    public void Dispose() => _services.Dispose();

    private SmtpConnectionPool Pool(
        StandInSmtpServer server, int maxConnections = 1, SmtpSecurity security = SmtpSecurity.None,
        string? user = null, string? password = null, string? pin = null, TimeProvider? time = null) =>
        new(Options.Create(new SmtpOptions
            {
                Host = server.Host,
                Port = server.Port,
                MaxConnections = maxConnections,
                Security = security,
                User = user,
                Password = password,
                TrustedCertificateSha256 = pin,
                Timeout = TimeSpan.FromSeconds(5),
            }),
            time ?? TimeProvider.System,
            new EmailMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));

    /// <summary>The system's clock moved ahead on demand, to make a session look idle without waiting.</summary>
    private sealed class ShiftedTime : TimeProvider
    {
        private TimeSpan _shift;

        public void Shift(TimeSpan by) => _shift += by;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _shift;
    }
}
