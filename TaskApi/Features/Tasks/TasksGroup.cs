using FastEndpoints;

namespace TaskApi.Features.Tasks;

/// <summary>The <c>/tasks</c> routes: one endpoint per use case in the folders beside this file.</summary>
public sealed class TasksGroup : Group
{
    public TasksGroup() => Configure("tasks", endpoint =>
    {
        endpoint.Description(description => description.WithTags("Tasks"));
    });
}
