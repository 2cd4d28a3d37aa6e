using Npgsql;
using NpgsqlTypes;

namespace TaskApi.Features.Mailings.Planning;

/// <summary>
/// The clients a mailing's filter selects, as one SQL condition shared by the start (which makes their messages) and
/// the preview (which counts them), so the count a preview shows is what a start would make now. With the values
/// known at planning (Npgsql sends no prepared statement), PostgreSQL drops an empty list's branch and reads
/// <c>ix_clients_operator_code_tag_id</c> or <c>ix_clients_tag_id</c>.
/// </summary>
public static class ClientFilter
{
    /// <summary>The condition on <c>clients</c>, over the parameters <see cref="Parameters"/> makes; an empty list matches any value.</summary>
    public const string WhereSql = "(cardinality(@codes) = 0 OR operator_code = ANY(@codes)) AND (cardinality(@tags) = 0 OR tag = ANY(@tags))";

    public static NpgsqlParameter[] Parameters(string[] operatorCodes, string[] tags) =>
    [
        new("codes", NpgsqlDbType.Array | NpgsqlDbType.Char) { Value = operatorCodes },
        new("tags", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = tags },
    ];
}
