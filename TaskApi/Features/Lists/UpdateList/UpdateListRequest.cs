using System.Text.Json.Serialization;
using FastEndpoints;
using FluentValidation;

namespace TaskApi.Features.Lists.UpdateList;

/// <summary>The route and JSON body of <c>PATCH /lists/{id}</c>: the fields to change; absent ones stay as they are.</summary>
public sealed class UpdateListRequest
{
    /// <summary>The list's id (an integer).</summary>
    // From the route only: an "id" in the body is not read.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenReading)]
    public long Id { get; set; }

    /// <summary>A new name: 1 to 200 characters without control characters.</summary>
    public string? Name { get; set; }
}

public sealed class UpdateListValidator : Validator<UpdateListRequest>
{
    public UpdateListValidator() => RuleFor(l => l.Name).MustBeListName().When(l => l.Name is not null);
}
