using System.Net;
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
    public void New_ValidationProblem_GivesEachFieldItsMessages()
    {
        var problem = Answer(HttpStatusCode.BadRequest, "Bad Request", ValidationProblem);

        Assert.Equal((HttpStatusCode.BadRequest, "One or more validation errors occurred."), (problem.Status, problem.Title));
        Assert.Equal("'Status' must be one of: new, in_progress, success, error, cancelled.", problem.MessageFor("Status"));
        Assert.Equal("'Page Size' must be between 1 and 100. Another.", problem.MessageFor("pageSize"));
        Assert.Null(problem.MessageFor("name"));
        Assert.Equal(["pageSize: 'Page Size' must be between 1 and 100.", "pageSize: Another."], problem.MessagesNotAt("status"));
    }

    [Fact]
    public void New_ConflictProblem_CarriesTitleAndDetail()
    {
        var problem = Answer(HttpStatusCode.Conflict, "Conflict",
            """{"title":"Task already started","status":409,"detail":"Task 'x' is success; only a task that has not started can be cancelled."}""");

        Assert.Equal("Task already started", problem.Title);
        Assert.Equal("Task 'x' is success; only a task that has not started can be cancelled.", problem.Message);
        Assert.Empty(problem.Errors);
    }

    [Fact]
    public void New_BodyNotAProblem_IsNamedByTheGeneratedMessage()
    {
        var problem = Answer(HttpStatusCode.BadGateway, "The HTTP status code of the response was not expected (502).", "<html>proxy error</html>");

        Assert.Equal((HttpStatusCode.BadGateway, "The HTTP status code of the response was not expected (502)."), (problem.Status, problem.Title));
        Assert.Null(problem.Detail);
    }

    /// <summary>The exception as the generated client throws it for an answer.</summary>
    private static ApiProblemException Answer(HttpStatusCode status, string message, string body) =>
        new(message, (int)status, body, new Dictionary<string, IEnumerable<string>>(), null);
}
