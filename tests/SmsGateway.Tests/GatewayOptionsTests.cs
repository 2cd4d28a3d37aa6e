using Microsoft.Extensions.Options;

namespace SmsGateway.Tests;

/// <summary>The <c>Gateway</c> section is checked when the gateway starts, not at its first send.</summary>
public sealed class GatewayOptionsTests
{
    [Theory]
    [InlineData("Gateway:FailureRate", "1.5")]
    [InlineData("Gateway:Delay", "-00:00:01")]
    [InlineData("Gateway:MaxStored", "0")]
    public void Start_SettingOutOfRange_FailsNamingIt(string key, string value)
    {
        var failure = Assert.ThrowsAny<Exception>(() => GatewayHost.Start((key, value)));

        // The host's start can fail with the validation and, beside it, what stopping a half-started host threw.
        var validations = Causes(failure).OfType<OptionsValidationException>().ToList();
        Assert.True(validations.Count == 1, $"Expected one options validation failure among the causes of: {failure}");
        var validation = validations[0];
        Assert.Contains(key.Split(':')[1], validation.Message);
    }

    private static IEnumerable<Exception> Causes(Exception failure) =>
        failure is AggregateException aggregate
            ? aggregate.InnerExceptions.SelectMany(Causes)
            : failure.InnerException is { } inner ? [failure, .. Causes(inner)] : [failure];
}
