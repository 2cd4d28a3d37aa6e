using FastEndpoints;

namespace TaskApi.Features.Clients.CreateClient;

public sealed class CreateClientValidator : Validator<ClientRequest>
{
    public CreateClientValidator() => Include(new ClientRules());
}
