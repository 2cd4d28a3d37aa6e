namespace TaskApi.Features.Clients.ImportClients;

/// <summary>The JSON body of <c>POST /clients/import</c>: 1 to 10,000 clients, each with the fields and rules of <c>POST /clients</c>.</summary>
public sealed class ImportClientsRequest : List<ClientRequest>;
