using Microsoft.Extensions.Options;
using Tasks.Testing;

namespace TaskWorker.Tests.Sms;

public sealed class SmsOptionsTests
{
    [Theory]
    [InlineData("BaseUrl", "ftp://sms.example.com")]
    [InlineData("BaseUrl", "sms.example.com/v1")]
    [InlineData("Token", "")]
    [InlineData("Timeout", "00:00:00")]
    [InlineData("MaxPerSecond", "-1")]
    [InlineData("MaxInFlight", "0")]
    public void Start_InvalidSmsSetting_FailsNamingTheSetting(string setting, string value)
    {
        using var kafka = new KafkaFixture();
        using var redis = RedisServer.Start();

        var exception = Assert.Throws<OptionsValidationException>(() =>
            WorkerFactory.Start(kafka, WorkerFactory.SendingSms(redis, new Uri("http://127.0.0.1:1"), ($"Sms:{setting}", value))));

        Assert.Contains(setting, exception.Message);
    }
}
