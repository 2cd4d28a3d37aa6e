using Microsoft.Extensions.Options;
using Tasks.Testing;
using TaskWorker.Sms;

namespace TaskWorker.Tests.Sms;

public sealed class SmsOptionsTests
{
    // At start: one bad setting; the options' other rules are checked without a worker below.
    [Fact]
    public void Start_InvalidSmsSetting_FailsNamingTheSetting()
    {
        using var kafka = new KafkaFixture();
        using var redis = RedisServer.Start();

        var exception = Assert.Throws<OptionsValidationException>(() =>
            WorkerFactory.Start(kafka, WorkerFactory.SendingSms(redis, new Uri("http://127.0.0.1:1"), ("Sms:BaseUrl", "ftp://sms.example.com"))));

        Assert.Contains("BaseUrl", exception.Message);
    }

    [Theory]
    [InlineData("BaseUrl", "sms.example.com/v1")]
    [InlineData("Token", "")]
    [InlineData("Timeout", "00:00:00")]
    [InlineData("MaxPerSecond", "-1")]
    [InlineData("MaxInFlight", "0")]
    public void Validate_InvalidSmsSetting_FailsNamingTheSetting(string setting, string value) =>
        WorkerOptionsValidation.AssertFailsNaming<SmsOptions>(setting,
            ("Sms:BaseUrl", "http://127.0.0.1:1/"), ("Sms:Token", WorkerFactory.SmsToken), ($"Sms:{setting}", value));
}
