using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TaskApi.Features.Schedules;

/// <summary>The <c>/schedules</c> routes: one endpoint per use case in the folders beside this file.</summary>
public sealed class SchedulesGroup : Group
{
    public SchedulesGroup() => Configure("schedules", endpoint =>
    {
        endpoint.Description(description => description.WithTags("Schedules"));
    });
}

/// <summary>The RFC 7807 answers the schedule endpoints share.</summary>
public static class ScheduleProblems
{
    public static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Schedule not found", detail: $"No schedule has id {id}.");
}

/// <summary>The route of <c>/schedules/{id}</c>.</summary>
public sealed class ScheduleIdRequest
{
    /// <summary>The schedule's id.</summary>
    public long Id { get; set; }
}
