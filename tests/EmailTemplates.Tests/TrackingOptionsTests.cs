using System.ComponentModel.DataAnnotations;

namespace Tasks.EmailTemplates.Tests;

public sealed class TrackingOptionsTests
{
    [Theory]
    [InlineData("https://mail.example.com", "0123456789abcdef0123456789abcdef", "")]
    [InlineData("http://127.0.0.1:5080/", "0123456789abcdef0123456789abcdef", "")]
    [InlineData("", "0123456789abcdef0123456789abcdef", "PublicBaseUrl")]
    [InlineData("ftp://mail.example.com", "0123456789abcdef0123456789abcdef", "PublicBaseUrl")]
    [InlineData("/relative", "0123456789abcdef0123456789abcdef", "PublicBaseUrl")]
    [InlineData("https://mail.example.com", "0123456789abcdef0123456789abcde", "Key")]
    public void Validate_Settings_NameWhatIsWrong(string publicBaseUrl, string key, string wrong)
    {
        var options = new TrackingOptions { PublicBaseUrl = publicBaseUrl, Key = key };
        var results = new List<ValidationResult>();

        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        Assert.Equal(wrong, string.Join(",", results.SelectMany(result => result.MemberNames).Distinct()));
    }

    [Fact]
    public void BaseUrl_TrailingSlash_IsDropped()
    {
        Assert.Equal("https://mail.example.com", new TrackingOptions { PublicBaseUrl = "https://mail.example.com/" }.BaseUrl);
    }
}
