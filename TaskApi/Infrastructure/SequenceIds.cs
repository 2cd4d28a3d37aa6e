using Npgsql;

namespace TaskApi.Infrastructure;

/// <summary>Ids taken from a table's identity sequence ahead of a COPY, so the rows' send records can name them.</summary>
public static class SequenceIds
{
    /// <summary><paramref name="count"/> new ids of <paramref name="sequence"/> (a regclass name, such as 'sms_messages_id_seq').</summary>
    public static async Task<long[]> TakeAsync(NpgsqlConnection connection, string sequence, int count, CancellationToken cancellationToken)
    {
        var ids = new long[count];
        if (count == 0)
        {
            return ids;
        }
        // The sequence named once: pg_get_serial_sequence per row took most of a second for 100,000 ids.
        await using var command = new NpgsqlCommand("SELECT nextval(@sequence::regclass) FROM generate_series(1, @count)", connection)
        {
            Parameters = { new("sequence", sequence), new("count", count) },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        for (var i = 0; await reader.ReadAsync(cancellationToken); i++)
        {
            ids[i] = reader.GetInt64(0);
        }
        return ids;
    }
}
