using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Tasks.Shared;

namespace Scheduler.Tests;

public sealed class SchedulerOptionsTests
{
    [Fact]
    public void AllowedTopics_NotConfigured_AreTheTopicsTaskApiSchedulesTo()
    {
        var options = Bind([]);

        Assert.Empty(Errors(options));
        Assert.Equal(KafkaTopics.Scheduled.Order(), options.AllowedTopics.Order());
    }

    [Fact]
    public void AllowedTopics_Configured_ReplaceTheDefaults()
    {
        var options = Bind(new() { ["Scheduler:ReleaseTopics:0"] = KafkaTopics.TaskWork, ["Scheduler:ReleaseTopics:1"] = "custom.topic" });

        Assert.Empty(Errors(options));
        Assert.Equal(["custom.topic", KafkaTopics.TaskWork], options.AllowedTopics.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(KafkaTopics.SchedulerRequests, "the Scheduler's own topic")]
    [InlineData(KafkaTopics.SchedulerDeadLetter, "the Scheduler's own topic")]
    [InlineData("two words", "not a Kafka topic name")]
    [InlineData("tasks.work\n", "not a Kafka topic name")]
    public void Validate_ReleaseTopicNotAllowed_NamesIt(string topic, string error)
    {
        var errors = Errors(new SchedulerOptions { ReleaseTopics = [KafkaTopics.TaskWork, topic] });

        Assert.Contains(errors, e => e.Contains(error, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_EmptyReleaseTopics_IsRefused()
    {
        Assert.Contains(Errors(new SchedulerOptions { ReleaseTopics = [] }), e => e.Contains("at least one topic", StringComparison.Ordinal));
    }

    private static SchedulerOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new SchedulerOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(SchedulerOptions.SectionName).Bind(options);
        return options;
    }

    private static List<string> Errors(SchedulerOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage!).ToList();
    }
}
