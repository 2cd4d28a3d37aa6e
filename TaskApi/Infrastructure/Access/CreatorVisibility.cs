using System.Security.Claims;
using Microsoft.EntityFrameworkCore;

namespace TaskApi.Infrastructure.Access;

/// <summary>
/// Which rows of what callers create a caller sees (tasks, schedules, notifications): an app only the rows it created (an app's work
/// is its own business), an operator every row (what it may do with them its role decides). A row hidden from an app
/// answers as one that does not exist.
/// </summary>
public static class CreatorVisibility
{
    /// <summary>The property every such entity records its creator in, mapped to <see cref="CreatedByColumn"/>.</summary>
    public const string CreatedByProperty = "CreatedBy";

    public static IQueryable<T> VisibleTo<T>(this IQueryable<T> rows, ClaimsPrincipal caller) where T : class
    {
        if (!caller.IsApp())
        {
            return rows;
        }
        var appId = caller.Id();
        return rows.Where(row => EF.Property<string?>(row, CreatedByProperty) == appId);
    }
}
