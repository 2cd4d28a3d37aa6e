namespace TaskApi.Features.Clients.ImportClients;

/// <summary>What an import did.</summary>
/// <param name="Created">Rows whose phone was new: clients created.</param>
/// <param name="Updated">Rows whose phone a client had: that client's operatorCode, tag and timezone replaced.</param>
public sealed record ImportClientsResponse(int Created, int Updated);
