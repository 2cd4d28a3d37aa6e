using Bunit;
using Tasks.Shared;
using TasksConsole.Api;
using TasksConsole.Components.DeadLetterViews;

namespace TasksConsole.Tests.Components.DeadLetterViews;

public sealed class DeadLetterDetailsTests : MudComponentTest
{
    [Theory]
    [InlineData(Roles.Admin, true)]
    [InlineData(Roles.Operator, true)]
    [InlineData(Roles.Viewer, false)]
    public void Render_Waiting_OffersReplayAndDiscardOnlyToRolesThatMayWrite(string role, bool offered)
    {
        AddAuthorization().SetAuthorized("someone").SetRoles(role);

        var details = RenderDetails(DeadLetter(replayable: true));

        Assert.Equal(offered, details.FindAll("[data-testid=replay]").Count == 1);
        Assert.Equal(offered, details.FindAll("[data-testid=discard]").Count == 1);
    }

    [Fact]
    public void Render_Truncated_DisablesReplaySayingWhy()
    {
        AddAuthorization().SetAuthorized("someone").SetRoles(Roles.Operator);
        var truncated = DeadLetter(replayable: false);
        truncated.Truncated = true;

        var details = RenderDetails(truncated);

        Assert.True(details.Find("[data-testid=replay]").HasAttribute("disabled"));
        Assert.Contains("truncated copy", details.Find("[data-testid=not-replayable]").TextContent);
    }

    [Fact]
    public void Render_HeadersAndJsonPayload_ShowsEachHeaderFlaggingBase64AndThePayloadIndented()
    {
        AddAuthorization().SetAuthorized("someone").SetRoles(Roles.Viewer);

        var details = RenderDetails(DeadLetter(replayable: true));

        var cells = details.FindAll("section[aria-label=Headers] tbody td").Select(cell => cell.TextContent.Trim());
        Assert.Equal(["trace-id", "abc", "blob", "/w== (base64)"], cells);
        Assert.Equal("{\n  \"name\": \"resize\"\n}", details.Find("[data-testid=dead-letter-payload]").TextContent);
    }

    private IRenderedComponent<DeadLetterDetails> RenderDetails(DeadLetterResponse deadLetter) =>
        Render<DeadLetterDetails>(parameters => parameters.Add(p => p.DeadLetter, deadLetter));

    private static DeadLetterResponse DeadLetter(bool replayable) => new()
    {
        Id = 5,
        Topic = "tasks.requests.dlq",
        SourceTopic = "tasks.requests",
        Reason = "the payload is not JSON",
        State = DeadLetterStates.Waiting,
        Replayable = replayable,
        Headers = [new() { Name = "trace-id", Value = "abc" }, new() { Name = "blob", Value = "/w==", ValueBase64 = true }],
        Payload = """{"name":"resize"}""",
        PayloadSize = 17,
    };
}
