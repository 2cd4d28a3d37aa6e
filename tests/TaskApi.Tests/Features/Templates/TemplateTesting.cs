using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TaskApi.Tests.Features.Templates;

/// <summary>What the template tests share: a valid template, and creating one through the API.</summary>
public static class TemplateTesting
{
    public static object ValidTemplate(string name = "Welcome", string subject = "Hello {{ recipient.name }}",
        string html = "<p>Hi {{ recipient.name }}</p>", string? text = null) =>
        new { name, subject, html, text };

    /// <summary>Creates a template through the API and returns it as the API answered.</summary>
    public static async Task<JsonElement> CreateTemplateAsync(this HttpClient http, object? template = null)
    {
        var response = await http.PostAsJsonAsync("/templates", template ?? ValidTemplate());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static long IdOf(JsonElement template) => template.GetProperty("id").GetInt64();

    /// <summary>Asserts a 400 validation problem and returns its messages by field, the fields in order.</summary>
    public static async Task<SortedDictionary<string, string[]>> ReadErrorsAsync(this HttpResponseMessage response)
    {
        var problem = await response.ReadProblemAsync(400);
        return new SortedDictionary<string, string[]>(
            problem.GetProperty("errors").EnumerateObject().ToDictionary(field => field.Name, field => field.Value.EnumerateArray().Select(m => m.GetString()!).ToArray()),
            StringComparer.Ordinal);
    }
}
