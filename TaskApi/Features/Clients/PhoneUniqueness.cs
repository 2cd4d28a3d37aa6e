using Microsoft.EntityFrameworkCore;
using Npgsql;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Clients;

/// <summary>A phone belongs to one client: the unique index <c>ux_clients_phone</c> decides, so concurrent requests cannot both win.</summary>
public static class PhoneUniqueness
{
    private const string PhoneIndex = "ux_clients_phone";

    /// <summary>Saves the new or changed <paramref name="client"/>; when another client has its phone, saves nothing and returns that client's id.</summary>
    public static async Task<long?> SaveUnlessPhoneTakenAsync(this TasksDbContext db, Client client, CancellationToken ct)
    {
        while (true)
        {
            // Looked up first, so a phone that is already taken costs no failed statement (EF logs each as an error).
            var owner = await db.Clients.AsNoTracking()
                .Where(c => c.Phone == client.Phone && c.Id != client.Id)
                .Select(c => (long?)c.Id)
                .SingleOrDefaultAsync(ct);
            if (owner is not null)
            {
                return owner;
            }
            try
            {
                await db.SaveChangesAsync(ct);
                return null;
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: PhoneIndex })
            {
                // A concurrent request took the phone after the look-up: the next look-up finds it (or, if that client
                // was deleted meanwhile, the phone is free again and the save is repeated).
            }
        }
    }
}
