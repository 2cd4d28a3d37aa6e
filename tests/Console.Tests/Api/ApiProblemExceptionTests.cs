using System.Net;
using System.Text;
using TasksConsole.Api;

namespace TasksConsole.Tests.Api;

public sealed class ApiProblemExceptionTests
{
    /// <summary>A validation problem as TaskApi writes it (ASP.NET Core's ValidationProblem shape).</summary>
    private const string ValidationProblem = """
        {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,
         "errors":{"status":["'Status' must be one of: new, in_progress, success, error, cancelled."],"pageSize":["'Page Size' must be between 1 and 100.","Another."]}}
        """;

    [Fact]
    public async Task FromResponseAsync_ValidationProblem_GivesEachFieldItsMessages()
    {
        var problem = await ApiProblemException.FromResponseAsync(Response(HttpStatusCode.BadRequest, ValidationProblem, "application/problem+json"), CancellationToken.None);

        Assert.Equal((HttpStatusCode.BadRequest, "One or more validation errors occurred."), (problem.Status, problem.Title));
        Assert.Equal("'Status' must be one of: new, in_progress, success, error, cancelled.", problem.MessageFor("Status"));
        Assert.Equal("'Page Size' must be between 1 and 100. Another.", problem.MessageFor("pageSize"));
        Assert.Null(problem.MessageFor("name"));
        Assert.Equal(["pageSize: 'Page Size' must be between 1 and 100.", "pageSize: Another."], problem.MessagesNotAt("status"));
    }

    [Fact]
    public async Task FromResponseAsync_ConflictProblem_CarriesTitleAndDetail()
    {
        var problem = await ApiProblemException.FromResponseAsync(Response(HttpStatusCode.Conflict,
            """{"title":"Task already started","status":409,"detail":"Task 'x' is success; only a task that has not started can be cancelled."}""",
            "application/problem+json"), CancellationToken.None);

        Assert.Equal("Task already started", problem.Title);
        Assert.Equal("Task 'x' is success; only a task that has not started can be cancelled.", problem.Message);
        Assert.Empty(problem.Errors);
    }

    [Fact]
    public async Task FromResponseAsync_BodyNotAProblem_IsNamedByItsStatus()
    {
        var problem = await ApiProblemException.FromResponseAsync(Response(HttpStatusCode.BadGateway, "<html>proxy error</html>", "text/html"), CancellationToken.None);

        Assert.Equal("TaskApi answered 502 Bad Gateway", problem.Title);
        Assert.Null(problem.Detail);
    }

    private static HttpResponseMessage Response(HttpStatusCode status, string body, string mediaType) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
}
