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

        var validation = Assert.IsType<OptionsValidationException>(failure.GetBaseException());
        Assert.Contains(key.Split(':')[1], validation.Message);
    }
}
