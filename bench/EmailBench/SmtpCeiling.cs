using System.Diagnostics;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Tasks.Testing;

/// <summary>
/// What MailKit and the SMTP sink alone move on this machine, with nothing else running: emails of the campaign's shape
/// and size, built and handed over through as many sessions as the worker has, as fast as they go. The pipeline's
/// figure is read against it: both share the same two cores.
/// </summary>
internal static class SmtpCeiling
{
    public static async Task<double> MeasureAsync(int sessions, int emails)
    {
        await using var sink = await StandInSmtpServer.StartAsync(new StandInSmtpOptions(KeepMessages: false));
        var left = emails;
        var elapsed = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, sessions).Select(async _ =>
        {
            using var client = new SmtpClient();
            await client.ConnectAsync(sink.Host, sink.Port, SecureSocketOptions.None);
            while (Interlocked.Decrement(ref left) is >= 0 and var i)
            {
                await client.SendAsync(Email(i));
            }
            await client.DisconnectAsync(quit: true);
        }));
        return emails / elapsed.Elapsed.TotalSeconds;
    }

    // As the campaign's emails are rendered: the template's text, tracked links, the pixel, both parts and the headers.
    private static MimeMessage Email(int i)
    {
        var tracked = $"http://127.0.0.1:5000/t/c/{Convert.ToBase64String(Guid.NewGuid().ToByteArray())}";
        var html = $"""
            <html><head></head><body><h1>Hello Reader {i}</h1><p>Spring sale starts today.</p>
            <p>Your plan: gold. <a href="{tracked}1">Sale</a> <a href="{tracked}2">Blog</a></p>
            <p><a href="{tracked}3">Unsubscribe</a></p><img src="{tracked}.gif" width="1" height="1" alt=""></body></html>
            """;
        var message = new MimeMessage
        {
            Subject = $"News for Reader {i}",
            MessageId = $"1.{i}@example.com",
            Body = new BodyBuilder { HtmlBody = html, TextBody = $"Hello Reader {i}\nSpring sale starts today.\nYour plan: gold. Sale [{tracked}1] Blog [{tracked}2]\nUnsubscribe [{tracked}3]" }.ToMessageBody(),
        };
        message.From.Add(new MailboxAddress("News", "news@example.com"));
        message.To.Add(new MailboxAddress($"Reader {i}", $"reader{i}@example.com"));
        message.Headers.Add("List-Unsubscribe", $"<{tracked}3>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        return message;
    }
}
