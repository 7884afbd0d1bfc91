import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Creates the constraints and indexes of a database that neo4j-admin import has just written,
 * and waits until they are online, so that the server that then takes the database in answers
 * by index from its first query. Arguments: the Neo4j home of the imported database (its
 * data/databases/neo4j), the file of Cypher statements (one a line; written by
 * `chainkg load --neo4j-bulk` from graph_schema), the page cache size. Runs embedded, with no
 * connector: the imported database is not served before it is complete.
 */
public final class Neo4jSchema {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        List<String> statements = Files.readAllLines(Path.of(args[1])).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .toList();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(args[2]))
                .build();
        try {
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            for (String statement : statements) {
                db.executeTransactionally(statement);
            }
            db.executeTransactionally("CALL db.awaitIndexes(86400)");
            System.out.println("schema online: " + statements.size() + " statements");
        } finally {
            dbms.shutdown();
        }
    }
}
