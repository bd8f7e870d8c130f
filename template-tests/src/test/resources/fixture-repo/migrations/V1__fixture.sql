CREATE TABLE fixture (id bigint PRIMARY KEY);
