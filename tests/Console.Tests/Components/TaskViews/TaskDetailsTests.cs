using System.Text.Json;
using Bunit;
using Tasks.Shared;
using TasksConsole.Api;
using TasksConsole.Components.TaskViews;

namespace TasksConsole.Tests.Components.TaskViews;

public sealed class TaskDetailsTests : MudComponentTest
{
    private static readonly DateTimeOffset Created = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(Roles.Admin, true)]
    [InlineData(Roles.Operator, true)]
    [InlineData(Roles.Viewer, false)]
    public void Render_TaskNotStarted_OffersCancelOnlyToRolesThatMayWrite(string role, bool offered)
    {
        AddAuthorization().SetAuthorized("someone").SetRoles(role);

        var details = RenderDetails(Task(TaskItemStatus.New));

        Assert.Equal(offered, details.FindAll("[data-testid=cancel-task]").Count == 1);
    }

    [Fact]
    public void Render_TaskStarted_OffersNoCancelEvenToAnAdmin()
    {
        AddAuthorization().SetAuthorized("someone").SetRoles(Roles.Admin);

        var started = Task(TaskItemStatus.InProgress);
        started.StartedAt = Created.AddSeconds(1);

        var details = RenderDetails(started);

        Assert.Empty(details.FindAll("[data-testid=cancel-task]"));
    }

    [Theory]
    [InlineData(Roles.Admin, true)]
    [InlineData(Roles.Operator, true)]
    [InlineData(Roles.Viewer, false)]
    public void Render_TaskInError_OffersRetryOnlyToRolesThatMayWrite(string role, bool offered)
    {
        AddAuthorization().SetAuthorized("someone").SetRoles(role);

        var details = RenderDetails(Task(TaskItemStatus.Error));

        Assert.Equal(offered, details.FindAll("[data-testid=retry-task]").Count == 1);
        Assert.Empty(details.FindAll("[data-testid=cancel-task]"));
    }

    [Fact]
    public void Render_TaskNotInError_OffersNoRetryEvenToAnAdmin()
    {
        AddAuthorization().SetAuthorized("someone").SetRoles(Roles.Admin);

        Assert.Empty(RenderDetails(Task(TaskItemStatus.Success)).FindAll("[data-testid=retry-task]"));
    }

    [Fact]
    public void Click_Retry_AsksThePage()
    {
        AddAuthorization().SetAuthorized("someone").SetRoles(Roles.Operator);
        var asked = 0;

        var details = Render<TaskDetails>(parameters => parameters
            .Add(p => p.Task, Task(TaskItemStatus.Error))
            .Add(p => p.OnRetry, () => asked++));
        details.Find("[data-testid=retry-task]").Click();

        Assert.Equal(1, asked);
    }

    [Fact]
    public void Click_Cancel_AsksThePage()
    {
        AddAuthorization().SetAuthorized("someone").SetRoles(Roles.Operator);
        var asked = 0;

        var details = Render<TaskDetails>(parameters => parameters
            .Add(p => p.Task, Task(TaskItemStatus.New))
            .Add(p => p.OnCancel, () => asked++));
        details.Find("[data-testid=cancel-task]").Click();

        Assert.Equal(1, asked);
    }

    [Fact]
    public void Render_FailedTaskWaitingForARetry_ShowsTimelineErrorAttemptsAndIndentedPayload()
    {
        AddAuthorization().SetAuthorized("someone").SetRoles(Roles.Viewer);
        var task = Task(TaskItemStatus.New);
        task.Payload = JsonSerializer.Deserialize<JsonElement>("""{"size":3,"name":"é"}""");
        task.StartedAt = Created.AddSeconds(1);
        task.ScheduledFor = Created.AddMinutes(1);
        task.Error = "worker: the image could not be read";
        task.Attempts = 2;

        var details = RenderDetails(task);

        var text = details.Find("section[aria-label='Status timeline']").TextContent;
        Assert.Matches(@"Created\s+2026-12-07 09:00:00\.000 UTC[\s\S]*Started\s+2026-12-07 09:00:01\.000 UTC[\s\S]*Attempt 2 scheduled for\s+2026-12-07 09:01:00\.000 UTC", text);
        Assert.Equal("worker: the image could not be read", details.Find("[data-testid=task-error]").TextContent.Trim());
        Assert.Contains("Attempt 2 of 3", details.Markup);
        Assert.Equal("{\n  \"size\": 3,\n  \"name\": \"é\"\n}", details.Find("[data-testid=task-payload]").TextContent);
    }

    private IRenderedComponent<TaskDetails> RenderDetails(TaskResponse task) =>
        Render<TaskDetails>(parameters => parameters.Add(p => p.Task, task));

    private static TaskResponse Task(TaskItemStatus status) => new()
    {
        Id = Guid.NewGuid(),
        Name = "resize images",
        Status = status,
        CreatedAt = Created,
        CreatedBy = "operator-1",
        Attempts = 1,
        MaxAttempts = 3,
    };
}
