using System.ComponentModel.DataAnnotations;
using TasksConsole.Infrastructure;

namespace TasksConsole.Tests.Infrastructure;

public sealed class ConsoleOptionsTests
{
    [Fact]
    public void Validate_AppHostsSettings_AreValid()
    {
        Assert.Empty(Errors(new ConsoleOptions { IdentityUrl = new Uri("http://127.0.0.1:5070") }));
    }

    [Fact]
    public void Validate_NoIdentityUrl_NamesIt()
    {
        Assert.Equal([nameof(ConsoleOptions.IdentityUrl)], Errors(new ConsoleOptions()).SelectMany(error => error.MemberNames));
    }

    [Theory]
    [InlineData("ftp://identity.example/")]
    [InlineData("/relative")]
    public void Validate_IdentityUrlNotAnAbsoluteHttpUrl_SaysSo(string url)
    {
        var error = Assert.Single(Errors(new ConsoleOptions { IdentityUrl = new Uri(url, UriKind.RelativeOrAbsolute) }));

        Assert.Equal($"Console:IdentityUrl must be an absolute http or https URL; '{url}' is not.", error.ErrorMessage);
    }

    [Fact]
    public void Validate_RefreshMarginBeyondTenMinutes_IsRefused()
    {
        var error = Assert.Single(Errors(new ConsoleOptions { IdentityUrl = new Uri("http://127.0.0.1:5070"), RefreshBeforeExpiry = TimeSpan.FromMinutes(11) }));

        Assert.Equal([nameof(ConsoleOptions.RefreshBeforeExpiry)], error.MemberNames);
    }

    private static List<ValidationResult> Errors(ConsoleOptions options)
    {
        var errors = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true);
        return errors;
    }
}
