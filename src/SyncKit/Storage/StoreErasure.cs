namespace SyncKit.Storage;

/// <summary>The refusal of a store written before offboarding existed.</summary>
internal static class StoreErasure
{
    public static NotSupportedException NotSupported(Type store) =>
        new($"The store {store.Name} cannot delete a tenant's data: it was written before offboarding existed. Override its DeleteTenantAsync/DeleteAsync, or offboard keeping the data.");
}
