using Microsoft.Extensions.Options;
using TaskApi.Features.Tasks.Scheduling;

namespace TaskApi.Tests.Features.Tasks.Scheduling;

/// <summary>The <c>Reconciliation</c> section as TaskApi validates it at start-up (its data annotations).</summary>
public sealed class ReconciliationOptionsTests
{
    private static readonly DataAnnotationValidateOptions<ReconciliationOptions> Validation = new(Options.DefaultName);

    [Fact]
    public void Validate_Defaults_Succeeds() => Assert.True(Validation.Validate(Options.DefaultName, new ReconciliationOptions()).Succeeded);

    [Theory]
    [InlineData(nameof(ReconciliationOptions.SilenceMargin))]
    [InlineData(nameof(ReconciliationOptions.Interval))]
    [InlineData(nameof(ReconciliationOptions.OverdueAfter))]
    public void Validate_ZeroTime_FailsNamingTheSetting(string setting)
    {
        var options = new ReconciliationOptions();
        typeof(ReconciliationOptions).GetProperty(setting)!.SetValue(options, TimeSpan.Zero);

        var result = Validation.Validate(Options.DefaultName, options);

        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage);
    }

    [Fact]
    public void Validate_NegativeTimeout_Fails() =>
        Assert.True(Validation.Validate(Options.DefaultName, new ReconciliationOptions { TaskRunTimeout = TimeSpan.FromSeconds(-1) }).Failed);
}
