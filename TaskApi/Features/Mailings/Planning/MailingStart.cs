using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;

namespace TaskApi.Features.Mailings.Planning;

/// <summary>
/// Starts a mailing: in one transaction, one message for every matching client (written with COPY), its first send
/// record (now, or at the client's send window's opening through the Scheduler), and the mailing running with its
/// counts. A crash rolls all of it back and the start is handled again; a mailing no longer scheduled is left alone,
/// so a repeated start creates nothing.
/// </summary>
public sealed class MailingStart(TasksDbContext db, MailingMetrics metrics)
{
    private const string MatchingClientsSql = $"SELECT id, phone, timezone FROM clients WHERE {ClientFilter.WhereSql} ORDER BY id";

    private const string CopySql = """
        COPY sms_messages (id, mailing_id, client_id, phone, timezone, status, attempts, dispatch, due_at, created_at, finished_at)
        FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>Returns the number of messages made, or null when the mailing was not there to start.</summary>
    public async Task<int?> StartAsync(long mailingId, int timesVersion, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var mailing = await MailingMessages.LockAsync(db, mailingId, cancellationToken);
        if (mailing is not { Status: MailingStatus.Scheduled } || mailing.TimesVersion != timesVersion)
        {
            return null;
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var clients = await MatchingClientsAsync(connection, mailing, cancellationToken);
        var ids = await SequenceIds.TakeAsync(connection, "sms_messages_id_seq", clients.Count, cancellationToken);
        var messages = clients.Select((client, i) => new PlannedMessage(ids[i], client, SendPlan.For(mailing, client.TimeZone, now, now))).ToList();

        await CopyMessagesAsync(connection, mailing, messages, now, cancellationToken);
        await OutboxCopy.WriteAsync(connection, SendRecords(mailing, messages, now), cancellationToken);

        var expired = messages.Count(m => m.Plan.Expires);
        mailing.Status = MailingStatus.Running;
        mailing.StartedAt = now;
        mailing.Counts.Add(MessageStatus.Pending, messages.Count - expired);
        mailing.Counts.Add(MessageStatus.Expired, expired);
        mailing.FinishIfDone(now);
        await db.SaveChangesAsync(cancellationToken);
        metrics.MessagesCreated(messages.Count);
        return messages.Count;
    }

    private static async Task<List<MatchingClient>> MatchingClientsAsync(NpgsqlConnection connection, Mailing mailing, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(MatchingClientsSql, connection);
        command.Parameters.AddRange(ClientFilter.Parameters(mailing.OperatorCodes, mailing.Tags));
        var clients = new List<MatchingClient>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            clients.Add(new MatchingClient(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }
        return clients;
    }

    private static async Task CopyMessagesAsync(NpgsqlConnection connection, Mailing mailing, List<PlannedMessage> messages, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pending = StatusNames<MessageStatus>.Of(MessageStatus.Pending);
        var expired = StatusNames<MessageStatus>.Of(MessageStatus.Expired);
        await using var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken);
        // Synchronous writes into the importer's buffer (it sends a full buffer as it goes): awaiting each of 1,100,000
        // values cost more than the copy itself.
        foreach (var message in messages)
        {
            importer.StartRow();
            importer.Write(message.Id, NpgsqlDbType.Bigint);
            importer.Write(mailing.Id, NpgsqlDbType.Bigint);
            importer.Write(message.Client.Id, NpgsqlDbType.Bigint);
            importer.Write(message.Client.Phone, NpgsqlDbType.Varchar);
            importer.Write(message.Client.TimeZone, NpgsqlDbType.Varchar);
            importer.Write(message.Plan.Expires ? expired : pending, NpgsqlDbType.Varchar);
            importer.Write(0, NpgsqlDbType.Integer);
            importer.Write(1, NpgsqlDbType.Integer);
            WriteOptional(importer, message.Plan.DueAt);
            importer.Write(now, NpgsqlDbType.TimestampTz);
            WriteOptional(importer, message.Plan.Expires ? now : null);
        }
        await importer.CompleteAsync(cancellationToken);
    }

    private static void WriteOptional(NpgsqlBinaryImporter importer, DateTimeOffset? value)
    {
        if (value is { } instant)
        {
            importer.Write(instant, NpgsqlDbType.TimestampTz);
        }
        else
        {
            importer.WriteNull();
        }
    }

    private static IEnumerable<OutboxMessage> SendRecords(Mailing mailing, List<PlannedMessage> messages, DateTimeOffset now)
    {
        ActivityLink[] links = Activity.Current is { } start ? [new ActivityLink(start.Context)] : [];
        return messages.Where(m => !m.Plan.Expires).Select(message => MailingRecords.Send(
            message.Plan.Item(mailing, message.Id, message.Client.Id, message.Client.Phone, dispatch: 1),
            message.Plan.DueAt, MessageTrace.Begin(mailing.Id, message.Id, message.Client.Id, links), now));
    }

    private sealed record MatchingClient(long Id, string Phone, string TimeZone);

    private sealed record PlannedMessage(long Id, MatchingClient Client, SendPlan Plan);
}
