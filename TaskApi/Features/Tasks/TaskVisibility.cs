using System.Security.Claims;
using TaskApi.Infrastructure.Access;
using TaskApi.Model;

namespace TaskApi.Features.Tasks;

/// <summary>
/// Which tasks a caller sees: an app only the tasks it created (an app's tasks are its own business), an operator every
/// task (what it may do with them its role decides). A task hidden from an app answers as one that does not exist.
/// </summary>
public static class TaskVisibility
{
    public static IQueryable<TaskItem> VisibleTo(this IQueryable<TaskItem> tasks, ClaimsPrincipal caller)
    {
        if (!caller.IsApp())
        {
            return tasks;
        }
        var appId = caller.Id();
        return tasks.Where(t => t.CreatedBy == appId);
    }
}
