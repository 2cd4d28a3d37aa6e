using System.Text.Json;
using TasksConsole.Api;

namespace TasksConsole.Tests.Api;

public sealed class TaskResponseExtensionsTests
{
    [Theory]
    [InlineData("new", TaskItemStatus.New)]
    [InlineData("in_progress", TaskItemStatus.InProgress)]
    [InlineData("cancelled", TaskItemStatus.Cancelled)]
    public void Deserialize_StatusAsTaskApiWritesIt_ReadsTheGeneratedEnumAndNamesItBack(string name, TaskItemStatus status)
    {
        // The generated client reads with System.Text.Json, which knows "in_progress" only through the build's
        // [JsonStringEnumMemberName] rewrite of NSwag's [EnumMember].
        var task = JsonSerializer.Deserialize<TaskResponse>($$"""{"status":"{{name}}"}""")!;

        Assert.Equal(status, task.Status);
        Assert.Equal(name, task.Status.Name());
    }

    [Theory]
    [InlineData(TaskItemStatus.New, true, false)]
    [InlineData(TaskItemStatus.Error, false, true)]
    [InlineData(TaskItemStatus.Success, false, false)]
    public void CanBeCancelledOrRetried_Status_FollowsTaskApisRules(TaskItemStatus status, bool cancellable, bool retriable)
    {
        var task = new TaskResponse { Status = status };

        Assert.Equal((cancellable, retriable), (task.CanBeCancelled(), task.CanBeRetried()));
    }
}
