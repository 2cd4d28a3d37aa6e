using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaskApi.Features.Campaigns;
using TaskApi.Features.Mailings;
using TaskApi.Tests.Features.Campaigns;
using Tasks.EmailTemplates;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Reports;

/// <summary>The daily report of a known day (2020-03-10 in Moscow, UTC+3), from rows written with fixed times.</summary>
public sealed class DailyReportTests(DailyReportTests.MoscowReportsApi api) : IClassFixture<DailyReportTests.MoscowReportsApi>, IDisposable
{
    public sealed class MoscowReportsApi : TaskApiFactory
    {
        public MoscowReportsApi()
        {
            Settings["Reports:TimeZone"] = "Europe/Moscow";
            Settings["Reports:Recipients:0"] = "boss@example.com";
            Settings["Reports:Recipients:1"] = "ops@example.com";
            Settings["Reports:From"] = "reports@example.com";
            // The rows of 2020 are long overdue: the reconcilers must not start or end them meanwhile.
            Settings["Reconciliation:Interval"] = "01:00:00";
        }
    }

    // 2020-03-10 00:00 in Moscow is 2020-03-09 21:00 UTC.
    private static readonly DateTimeOffset DayStart = new(2020, 3, 9, 21, 0, 0, TimeSpan.Zero);

    private readonly CampaignScenario _scenario = new(api);
    private static readonly SemaphoreSlim Arranged = new(1, 1);
    private static bool _arranged;

    /// <summary>Once per class: the day's rows, and rows of the days around it that the report must leave out.</summary>
    private async Task ArrangeAsync()
    {
        await Arranged.WaitAsync();
        try
        {
            if (_arranged)
            {
                return;
            }
            await api.WithDbAsync(async db =>
            {
                var finishedThatDay = Mailing("finished that day", DayStart.AddHours(-30), DayStart.AddHours(2), DayStart.AddHours(5), MailingStatus.Finished);
                finishedThatDay.Counts = new MessageCounts { Sent = 2, Failed = 1 };
                var runningAcross = Mailing("running across", DayStart.AddDays(-3), DayStart.AddDays(-2), null, MailingStatus.Running);
                var createdThatDay = Mailing("created that day", DayStart.AddHours(23), null, null, MailingStatus.Scheduled);
                var dayBefore = Mailing("the day before", DayStart.AddHours(-20), DayStart.AddHours(-19), DayStart.AddHours(-1), MailingStatus.Finished);
                var dayAfter = Mailing("the day after", DayStart.AddHours(24), DayStart.AddHours(25), null, MailingStatus.Running);
                db.Mailings.AddRange(finishedThatDay, runningAcross, createdThatDay, dayBefore, dayAfter);
                await db.SaveChangesAsync();
                db.SmsMessages.AddRange(
                    Sms(finishedThatDay.Id, MessageStatus.Sent, DayStart.AddHours(3)),
                    Sms(finishedThatDay.Id, MessageStatus.Sent, DayStart.AddHours(4)),
                    Sms(finishedThatDay.Id, MessageStatus.Failed, DayStart.AddHours(5)),
                    Sms(runningAcross.Id, MessageStatus.Expired, DayStart.AddHours(23).AddMinutes(59)),
                    Sms(dayBefore.Id, MessageStatus.Sent, DayStart.AddMinutes(-1)),
                    Sms(dayAfter.Id, MessageStatus.Sent, DayStart.AddHours(24)));

                var sent = Campaign("sent that day", DayStart.AddHours(1), DayStart.AddHours(8), DayStart.AddHours(9), CampaignStatus.Sent);
                sent.Counts = new EmailCounts { Sent = 2, Failed = 1 };
                var cancelled = Campaign("cancelled that day", DayStart.AddHours(10), null, DayStart.AddHours(11), CampaignStatus.Cancelled);
                var later = Campaign("next day", DayStart.AddHours(30), null, null, CampaignStatus.Scheduled);
                db.Campaigns.AddRange(sent, cancelled, later);
                await db.SaveChangesAsync();
                db.EmailMessages.AddRange(
                    Email(sent.Id, EmailStatus.Sent, DayStart.AddHours(8), opened: DayStart.AddHours(12)),
                    Email(sent.Id, EmailStatus.Sent, DayStart.AddHours(8), opened: DayStart.AddHours(25)),
                    Email(sent.Id, EmailStatus.Failed, DayStart.AddHours(9), opened: null));
                return await db.SaveChangesAsync();
            });
            _arranged = true;
        }
        finally
        {
            Arranged.Release();
        }
    }

    [Fact]
    public async Task Get_KnownDay_SummarisesThatDaysMailingsAndCampaignsByStatus()
    {
        await ArrangeAsync();

        var report = await _scenario.Http.GetFromJsonAsync<JsonElement>("/reports/daily?date=2020-03-10");

        Assert.Equal(("2020-03-10", "Europe/Moscow"), (report.GetProperty("date").GetString(), report.GetProperty("timeZone").GetString()));
        Assert.Equal(DayStart, report.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(DayStart.AddDays(1), report.GetProperty("to").GetDateTimeOffset());
        var mailings = report.GetProperty("mailings");
        Assert.Equal(3, mailings.GetProperty("total").GetInt32());
        Assert.Equal("""{"scheduled":1,"running":1,"finished":1,"cancelled":0}""", mailings.GetProperty("byStatus").GetRawText());
        Assert.Equal("""{"sent":2,"failed":1,"expired":1,"cancelled":0}""", mailings.GetProperty("messages").GetRawText());
        Assert.Equal(["created that day", "finished that day", "running across"],
            mailings.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("text").GetString()).Order());
        var campaigns = report.GetProperty("campaigns");
        Assert.Equal(2, campaigns.GetProperty("total").GetInt32());
        Assert.Equal("""{"scheduled":0,"sending":0,"sent":1,"cancelled":1}""", campaigns.GetProperty("byStatus").GetRawText());
        Assert.Equal("""{"sent":2,"failed":1,"cancelled":0}""", campaigns.GetProperty("emails").GetRawText());
        Assert.Equal(1, campaigns.GetProperty("opened").GetInt32());
        var item = campaigns.GetProperty("items")[0];
        Assert.Equal(("sent that day", "sent", 2, 1), (item.GetProperty("name").GetString(), item.GetProperty("status").GetString(),
            item.GetProperty("sent").GetInt32(), item.GetProperty("failed").GetInt32()));
    }

    [Theory]
    [InlineData("date=2020-13-01")]
    [InlineData("date=yesterday")]
    [InlineData("date=2020-3-1")]
    [InlineData("date=9999-12-31")]
    [InlineData("date=0001-01-01")]
    [InlineData("")]
    public async Task Get_NoOrBadDate_Returns400NamingIt(string query)
    {
        var response = await _scenario.Http.GetAsync($"/reports/daily?{query}");

        Assert.NotEmpty(await response.ReadFieldErrorsAsync("date"));
    }

    [Fact]
    public async Task ReportDue_MailsTheReportToEachRecipientOnceAndAsksForTheNextDay()
    {
        await ArrangeAsync();
        var due = MessageJson.Serialize(new ReportDue("2020-03-10"));

        await _scenario.ProduceAsync(KafkaTopics.ReportsDue, "2020-03-10"u8.ToArray(), due);
        await _scenario.ProduceAsync(KafkaTopics.ReportsDue, "2020-03-10"u8.ToArray(), due);
        // Same key, same partition: once this one is dead-lettered, both before it were handled.
        await _scenario.ProduceAsync(KafkaTopics.ReportsDue, "2020-03-10"u8.ToArray(), "{}"u8.ToArray());
        var deadLetter = await PipelineKafka.ReadKeyedAsync(api.Kafka.BootstrapServers, KafkaTopics.ReportsDueDeadLetter, "2020-03-10", CampaignScenario.Timeout);
        Assert.Equal("The value is not a ReportDue {date: yyyy-MM-dd} of a day from 2000-01-01 to 2999-12-31.", deadLetter.Header(DeadLetterHeaders.Reason));

        var emails = await api.WithDbAsync(db => db.EmailMessages.AsNoTracking().Where(m => m.ReportDate == new DateOnly(2020, 3, 10)).ToListAsync());
        Assert.Equal(["boss@example.com", "ops@example.com"], emails.Select(e => e.Email).Order());
        var sends = await _scenario.ReadAsync<EmailSendItem>(KafkaTopics.EmailsSend, emails.Select(e => e.Id.ToString()).ToList());
        var content = sends[emails[0].Id.ToString()].Content!;
        Assert.Null(sends[emails[0].Id.ToString()].CampaignId);
        Assert.Equal("reports@example.com", content.From.Email);
        Assert.Equal("Daily report 2020-03-10: 3 SMS mailings, 2 email campaigns", content.Subject);
        Assert.Contains("finished that day", content.Html);
        Assert.Contains("sent 2, failed 1, expired 1, cancelled 0", content.Text);
        // Signed, so TaskWorker knows TaskApi made it.
        Assert.True(api.Services.GetRequiredService<EmailContentSignatures>().IsGenuine(content));
    }

    [Fact]
    public async Task ReportDue_TheLastDayOfTime_IsDeadLetteredWithTheReasonAndTheNextDayIsStillReported()
    {
        // One key, one partition: the good record waits behind the poison one.
        var key = "9999-12-31"u8.ToArray();
        await _scenario.ProduceAsync(KafkaTopics.ReportsDue, key, MessageJson.Serialize(new ReportDue("9999-12-31")));
        await _scenario.ProduceAsync(KafkaTopics.ReportsDue, key, MessageJson.Serialize(new ReportDue("2020-03-12")));

        await Eventually.UntilAsync(() => api.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.ReportDate == new DateOnly(2020, 3, 12))),
            CampaignScenario.Timeout, "the report of 2020-03-12");
        var deadLetter = await PipelineKafka.ReadKeyedAsync(api.Kafka.BootstrapServers, KafkaTopics.ReportsDueDeadLetter, "9999-12-31", CampaignScenario.Timeout);
        // Refused as it is read: the next day's report would be due past the calendar's end.
        Assert.Equal("The value is not a ReportDue {date: yyyy-MM-dd} of a day from 2000-01-01 to 2999-12-31.", deadLetter.Header(DeadLetterHeaders.Reason));
    }

    [Fact]
    public async Task ReportDue_OfYesterday_AsksTheSchedulerForTodaysReportTomorrowAt8()
    {
        var today = NodaTime.SystemClock.Instance.GetCurrentInstant().InZone(NodaTime.DateTimeZoneProviders.Tzdb["Europe/Moscow"]).Date;
        var yesterday = today.PlusDays(-1).ToString("yyyy-MM-dd", null);

        await _scenario.ProduceAsync(KafkaTopics.ReportsDue, System.Text.Encoding.UTF8.GetBytes(yesterday), MessageJson.Serialize(new ReportDue(yesterday)));

        var scheduleId = $"report-daily-{today:yyyy-MM-dd}";
        var next = (await _scenario.ReadAsync<ScheduleRequest>(KafkaTopics.SchedulerRequests, [scheduleId]))[scheduleId];
        // Moscow is UTC+3 all year: 08:00 there is 05:00 UTC.
        var tomorrow = today.PlusDays(1);
        Assert.Equal(new DateTimeOffset(tomorrow.Year, tomorrow.Month, tomorrow.Day, 5, 0, 0, TimeSpan.Zero), next.DueAt);
        Assert.Equal((KafkaTopics.ReportsDue, today.ToString("yyyy-MM-dd", null)), (next.Topic, MessageJson.Deserialize<ReportDue>(next.Value).Date));
    }

    private static Mailing Mailing(string text, DateTimeOffset created, DateTimeOffset? started, DateTimeOffset? finished, MailingStatus status) => new()
    {
        Text = text, StartAt = started ?? created.AddDays(1), EndAt = created.AddDays(5), Status = status,
        CreatedAt = created, StartedAt = started, FinishedAt = finished,
    };

    private static SmsMessage Sms(long mailingId, MessageStatus status, DateTimeOffset finished) => new()
    {
        MailingId = mailingId, ClientId = Random.Shared.NextInt64(1, long.MaxValue), Phone = "79000000000", TimeZone = "UTC", Status = status,
        CreatedAt = finished.AddHours(-1), FinishedAt = finished, SentAt = status == MessageStatus.Sent ? finished : null,
    };

    private static Campaign Campaign(string name, DateTimeOffset created, DateTimeOffset? started, DateTimeOffset? finished, CampaignStatus status) => new()
    {
        Name = name, TemplateId = 1, ListIds = [1], FromEmail = "news@example.com", Message = "", SendAt = started ?? created,
        Status = status, CreatedAt = created, StartedAt = started, FinishedAt = finished,
    };

    private static EmailMessage Email(long campaignId, EmailStatus status, DateTimeOffset finished, DateTimeOffset? opened) => new()
    {
        CampaignId = campaignId, Email = $"{Guid.NewGuid():N}@example.com", Fields = "{}", Status = status, CreatedAt = finished.AddHours(-1),
        FinishedAt = finished, SentAt = status == EmailStatus.Sent ? finished : null, FirstOpenedAt = opened, Opens = opened is null ? 0 : 1,
    };

    public void Dispose() => _scenario.Dispose();
}
