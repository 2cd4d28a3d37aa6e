using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tasks.Shared;

namespace TaskApi.Infrastructure.Access;

/// <summary>
/// Who created a row of what callers create (tasks, mailings, campaigns, templates, lists, clients): the creator's
/// <see cref="Caller.Id"/> (an operator's id or an app's client id), or <see cref="ActorKinds.Kafka"/> for a task
/// submitted through Kafka. Null on rows stored before creators were recorded: their creator is unknown.
/// </summary>
public static class CreatedByColumn
{
    public const string Name = "created_by";
    public const int MaxLength = 200;

    public static PropertyBuilder<string?> IsCreatedByColumn(this PropertyBuilder<string?> property) =>
        property.HasColumnName(Name).HasMaxLength(MaxLength);
}
