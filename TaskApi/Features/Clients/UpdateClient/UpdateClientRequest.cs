using System.Text.Json.Serialization;
using FastEndpoints;

namespace TaskApi.Features.Clients.UpdateClient;

/// <summary><c>PUT /clients/{id}</c>: the client's id from the route and all its fields from the body.</summary>
public sealed class UpdateClientRequest : ClientRequest
{
    /// <summary>The client's id (an integer).</summary>
    // From the route only: an "id" in the body is not read.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenReading)]
    public long Id { get; set; }
}

public sealed class UpdateClientValidator : Validator<UpdateClientRequest>
{
    public UpdateClientValidator() => Include(new ClientRules());
}
