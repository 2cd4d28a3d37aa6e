using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tasks.Testing;
using TaskWorker.Work;

namespace TaskWorker.Tests.Work;

public sealed class WorkerOptionsTests
{
    // At start: MinDelay above the test default MaxDelay of 50 ms (the options' cross-field rule).
    [Fact]
    public void Start_InvalidWorkerSetting_FailsNamingTheSetting()
    {
        using var kafka = new KafkaFixture();

        var exception = Assert.Throws<OptionsValidationException>(() => WorkerFactory.Start(kafka, ("Worker:MinDelay", "00:00:01")));

        Assert.Contains("MinDelay", exception.Message);
    }

    [Theory]
    [InlineData("MaxInFlight", "0")]
    [InlineData("FailureProbability", "1.5")]
    [InlineData("ShutdownGrace", "-00:00:01")]
    public void Validate_InvalidWorkerSetting_FailsNamingTheSetting(string setting, string value) =>
        WorkerOptionsValidation.AssertFailsNaming<WorkerOptions>(setting, ($"Worker:{setting}", value));

    [Fact]
    public void Start_ShutdownGraceLongerThanTheHostAllows_ExtendsTheHostShutdownTimeout()
    {
        using var kafka = new KafkaFixture();

        using var worker = WorkerFactory.Start(kafka, ("Worker:ShutdownGrace", "00:01:00"));

        var shutdownTimeout = worker.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;
        Assert.True(shutdownTimeout > TimeSpan.FromMinutes(1), $"ShutdownTimeout is {shutdownTimeout}");
    }
}
