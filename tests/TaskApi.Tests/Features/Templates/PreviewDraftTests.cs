using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaskApi.Tests.Features.Clients;

namespace TaskApi.Tests.Features.Templates;

public sealed class PreviewDraftTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Post_Draft_RendersEveryPartWithTheValuesAndStoresNothing()
    {
        var templatesBefore = await CountTemplatesAsync();

        var response = await _client.PostAsJsonAsync("/templates/preview", Draft(
            subject: "Hi {{ recipient.name }}", html: "<p>{{ message }} {{ recipient.name }}</p>", text: "{{ campaign.name }} {{ unsubscribe_url }}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var email = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Hi Ann", email.GetProperty("subject").GetString());
        Assert.Equal("<p>Spring is here Ann</p>", email.GetProperty("html").GetString());
        Assert.Equal("Spring sale " + TaskApiFactory.TrackingBaseUrl + "/u/preview", email.GetProperty("text").GetString());
        Assert.Equal(templatesBefore, await CountTemplatesAsync());
    }

    [Fact]
    public async Task Post_SyntaxErrors_Returns400NamingEachPartWithLineAndColumn()
    {
        var response = await _client.PostAsJsonAsync("/templates/preview", Draft(
            subject: "Hi {{ recipent.name }}", html: "<p>\n{% if recipient.name %}\n</p>"));

        var errors = await response.ReadErrorsAsync();
        Assert.StartsWith("line 1, column 7: ", Assert.Single(errors["subject"]));
        Assert.Contains("Unknown variable 'recipent.name'", errors["subject"][0]);
        Assert.StartsWith("line 3, column 5: ", Assert.Single(errors["html"]));
    }

    [Fact]
    public async Task Post_PartOver512KiB_Returns400NamingIt()
    {
        var response = await _client.PostAsJsonAsync("/templates/preview", Draft(html: new string('x', 512 * 1024 + 1)));

        Assert.Contains("512 KiB", Assert.Single(await response.ReadFieldErrorsAsync("html")));
    }

    [Fact]
    public async Task Post_BodyOverRequestLimit_Returns413()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/templates/preview")
        {
            Content = new StringContent($$"""{"subject":"s","html":"{{new string('x', 4 * 1024 * 1024)}}"}""", Encoding.UTF8, "application/json"),
        };
        // Kestrel answers 413 from the length alone and closes the connection: a client still sending the body would see a
        // broken pipe instead of the answer, so this one waits for the server's go-ahead first.
        request.Headers.ExpectContinue = true;

        var response = await _client.SendAsync(request);

        await response.ReadProblemAsync(413);
    }

    [Theory]
    [InlineData("""{"html":"h","recipient":{"email":"a@example.com"},"sender":{"email":"s@example.com"}}""", "subject")]
    [InlineData("""{"subject":"s","html":"h","sender":{"email":"s@example.com"}}""", "recipient")]
    [InlineData("""{"subject":"s","html":"h","recipient":{"email":"a@example.com"},"sender":{"email":"s@"}}""", "sender.email")]
    public async Task Post_MissingOrInvalidValue_Returns400NamingIt(string body, string field)
    {
        var response = await _client.PostJsonAsync("/templates/preview", body);

        Assert.NotEmpty(await response.ReadFieldErrorsAsync(field));
    }

    private static object Draft(string subject = "Hello", string html = "<p>Hi</p>", string? text = null) => new
    {
        subject,
        html,
        text,
        recipient = new { email = "ann@example.com", name = "Ann" },
        sender = new { email = "news@shop.example", name = "The Shop" },
        message = "Spring is here",
        campaignName = "Spring sale",
    };

    private Task<int> CountTemplatesAsync() => api.WithDbAsync(db => db.EmailTemplates.CountAsync());
}
